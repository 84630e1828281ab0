/** The per-server secret that signs shard iterators and pagination tokens. Kept in the MetaStore
 * so tokens issued before a restart stay valid after it. */
import { randomBytes } from 'node:crypto';
import { MetaConflictError, type MetaStore } from '../storage/types.js';

const SECRET_KEY = 'kinesis/server-secret';

export async function loadServerSecret(meta: MetaStore): Promise<Buffer> {
  const existing = await meta.get<string>(SECRET_KEY);
  if (existing) return Buffer.from(existing.value, 'base64');
  const secret = randomBytes(32);
  try {
    await meta.commit([{ op: 'put', key: SECRET_KEY, value: secret.toString('base64'), expectVersion: 0 }]);
    return secret;
  } catch (err) {
    if (!(err instanceof MetaConflictError)) throw err;
    const winner = await meta.get<string>(SECRET_KEY);
    return Buffer.from(winner!.value, 'base64');
  }
}

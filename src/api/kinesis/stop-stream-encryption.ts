import type { StreamView } from '../../domain/stream.js';
import { InvalidArgumentException, LimitExceededException } from '../../errors/kinesis.js';
import { streamNotActive } from '../../streams/messages.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';

interface StopStreamEncryptionInput {
  StreamName?: string;
  StreamARN?: string;
  EncryptionType: 'KMS' | 'NONE';
  KeyId: string;
}

/** AWS: 25 encryption starts and 25 stops per stream per rolling 24 hours. */
export const encryptionChangesPerDayMax = 25;
const DAY_MS = 86_400_000;
const HISTORY_PREFIX = 'kinesis/encryption/changes/';

interface EncryptionHistory {
  readonly uid: string;
  readonly start: readonly number[];
  readonly stop: readonly number[];
}

/** Counts a start or stop against the 24-hour quota, or throws LimitExceededException. */
export async function recordEncryptionChange({ streams, clock, controlPlane }: KinesisDeps, stream: StreamView, kind: 'start' | 'stop'): Promise<void> {
  const meta = controlPlane.meta;
  const key = HISTORY_PREFIX + stream.name;
  const entry = await meta.get<EncryptionHistory>(key);
  const nowMs = clock.now();
  const history: EncryptionHistory = entry !== undefined && entry.value.uid === stream.meta.uid ? entry.value : { uid: stream.meta.uid, start: [], stop: [] };
  const recent = history[kind].filter((atMs) => atMs > nowMs - DAY_MS);
  if (recent.length >= encryptionChangesPerDayMax) {
    throw new LimitExceededException(
      `Exceeded the limit of ${encryptionChangesPerDayMax} encryption ${kind === 'start' ? 'starts' : 'stops'} per rolling 24 hours for stream ${stream.name} under account ${streams.accountId}.`,
    );
  }
  await meta.commit([{ op: 'put', key, value: { ...history, [kind]: [...recent, nowMs] } }]);
}

/** Records written from now on are stored in plaintext; older records keep their encryption. */
export const stopStreamEncryption: KinesisOperation = (deps) => async (input: StopStreamEncryptionInput) => {
  const { streams } = deps;
  const stream = streams.resolve(input);
  if (input.EncryptionType !== 'KMS') {
    throw new InvalidArgumentException(`Encryption type ${input.EncryptionType} is not supported. Only KMS is supported.`);
  }
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  await recordEncryptionChange(deps, stream, 'stop');
  await streams.mutateWithUpdate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE') throw streamNotActive(meta.name, streams.accountId, meta.status);
    const { keyId: _removed, ...rest } = meta;
    return { ...rest, encryptionType: 'NONE' };
  });
  return {};
};

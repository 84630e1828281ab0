import { InvalidArgumentException } from '../../errors/kinesis.js';
import { streamNotActive } from '../../streams/messages.js';
import { recordEncryptionChange } from './stop-stream-encryption.js';
import type { KinesisOperation } from './deps.js';

interface StartStreamEncryptionInput {
  StreamName?: string;
  StreamARN?: string;
  EncryptionType: 'KMS' | 'NONE';
  KeyId: string;
}

/**
 * Records written from now on are encrypted under KeyId (resolved by the key ring: unknown keys
 * give KMS* errors); the stream shows UPDATING for updateStreamMs. At most 25 starts per stream
 * per rolling 24 hours.
 */
export const startStreamEncryption: KinesisOperation = (deps) => async (input: StartStreamEncryptionInput) => {
  const { streams, controlPlane } = deps;
  const stream = streams.resolve(input);
  if (input.EncryptionType !== 'KMS') {
    throw new InvalidArgumentException(`Encryption type ${input.EncryptionType} is not supported. Only KMS is supported.`);
  }
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  controlPlane.keyRing.resolve(input.KeyId);
  await recordEncryptionChange(deps, stream, 'start');
  await streams.mutateWithUpdate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE') throw streamNotActive(meta.name, streams.accountId, meta.status);
    return { ...meta, encryptionType: 'KMS', keyId: input.KeyId };
  });
  return {};
};

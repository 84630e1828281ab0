/**
 * The StreamService RecordCodec for encryption at rest: records written while the stream has
 * `EncryptionType: KMS` are sealed under its KeyId; reading opens whatever a record was sealed
 * with, so records keep their own key across Start/StopStreamEncryption.
 */
import type { StoredRecord } from '../storage/types.js';
import type { RecordCodec } from '../streams/stream-service.js';
import type { StreamView } from '../domain/stream.js';
import { encryptionKeyOf, type KeyRing } from './key-ring.js';

export function createEncryptionCodec(keyRing: KeyRing): RecordCodec {
  return {
    encode(stream: StreamView, data: Uint8Array) {
      const { encryptionType, keyId } = stream.meta;
      if (encryptionType !== 'KMS' || keyId === undefined) return { data };
      return keyRing.encrypt(keyId, data);
    },
    decode(_stream: StreamView, record: StoredRecord) {
      return { data: keyRing.decrypt(record.attributes, record.data), encrypted: encryptionKeyOf(record.attributes) !== undefined };
    },
  };
}

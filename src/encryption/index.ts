export { KeyRing, encryptionKeyOf, RecordDecryptionError, ENCRYPTION_OVERHEAD_BYTES, type EncryptedData } from './key-ring.js';
export { resolveKeyId, KINESIS_MANAGED_ALIAS, type KeyScope } from './key-id.js';
export { createEncryptionCodec } from './record-codec.js';

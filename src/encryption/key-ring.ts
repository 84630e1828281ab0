/**
 * Encryption at rest for records written while a stream has KMS encryption on.
 *
 * A 32-byte master key lives in `<dataDir>/encryption/master.key` (created on first start, mode
 * 0600), or only in memory with `--in-memory`. Each KMS key gets its own AES-256 data key derived
 * with HKDF-SHA256 from the master key and the key's canonical ARN, so records encrypted under one
 * KeyId cannot be opened with another.
 *
 * Stored record data = version byte | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag, with
 * the canonical key ARN as additional authenticated data. The record's storage `attributes` hold
 * `kms=<canonical key ARN>`; records without that attribute are plaintext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveKeyId, type KeyScope } from './key-id.js';

const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 1;
const HKDF_SALT = Buffer.from('runnel/kinesis/record-encryption');
const ATTRIBUTE_PREFIX = 'kms=';

/** Bytes encryption adds to each record's data. */
export const ENCRYPTION_OVERHEAD_BYTES = 1 + IV_BYTES + TAG_BYTES;

export class RecordDecryptionError extends Error {
  constructor(detail: string) {
    super(`cannot decrypt record: ${detail}`);
    this.name = 'RecordDecryptionError';
  }
}

export interface EncryptedData {
  readonly data: Uint8Array;
  /** The storage attributes string to store with the record. */
  readonly attributes: string;
}

export class KeyRing {
  private readonly dataKeys = new Map<string, Buffer>();
  private readonly resolved = new Map<string, string>();

  constructor(private readonly masterKey: Buffer, readonly scope: KeyScope) {
    if (masterKey.length !== MASTER_KEY_BYTES) throw new Error(`master key must be ${MASTER_KEY_BYTES} bytes`);
  }

  /** Opens (or creates) the master key of a data directory; `inMemory` makes a throwaway one. */
  static async open(options: { dataDir: string; inMemory: boolean } & KeyScope): Promise<KeyRing> {
    const scope = { region: options.region, accountId: options.accountId };
    if (options.inMemory) return new KeyRing(randomBytes(MASTER_KEY_BYTES), scope);
    const directory = join(options.dataDir, 'encryption');
    const path = join(directory, 'master.key');
    try {
      return new KeyRing(await readFile(path), scope);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(directory, { recursive: true });
    const key = randomBytes(MASTER_KEY_BYTES);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, key, { mode: 0o600 });
    await rename(temporary, path);
    return new KeyRing(await readFile(path), scope);
  }

  /** The canonical key ARN for a KeyId, or a KMS* AwsError (see key-id.ts for the rule). */
  resolve(keyId: string): string {
    let keyArn = this.resolved.get(keyId);
    if (keyArn === undefined) {
      keyArn = resolveKeyId(keyId, this.scope);
      this.resolved.set(keyId, keyArn);
    }
    return keyArn;
  }

  /** Encrypts record data under a KeyId (resolving it; throws KMS* errors for unknown keys). */
  encrypt(keyId: string, plaintext: Uint8Array): EncryptedData {
    const keyArn = this.resolve(keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.dataKey(keyArn), iv);
    cipher.setAAD(Buffer.from(keyArn));
    const body = cipher.update(plaintext);
    const final = cipher.final();
    const data = Buffer.concat([Buffer.of(FORMAT_VERSION), iv, body, final, cipher.getAuthTag()]);
    return { data, attributes: ATTRIBUTE_PREFIX + keyArn };
  }

  /** The plaintext of stored data; data without the encryption attribute is returned as is. */
  decrypt(attributes: string | undefined, stored: Uint8Array): Uint8Array {
    const keyArn = encryptionKeyOf(attributes);
    if (keyArn === undefined) return stored;
    if (stored.length < ENCRYPTION_OVERHEAD_BYTES || stored[0] !== FORMAT_VERSION) {
      throw new RecordDecryptionError('unknown format');
    }
    const buffer = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
    const iv = buffer.subarray(1, 1 + IV_BYTES);
    const tag = buffer.subarray(buffer.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.dataKey(keyArn), iv);
    decipher.setAAD(Buffer.from(keyArn));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(buffer.subarray(1 + IV_BYTES, buffer.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new RecordDecryptionError('authentication failed');
    }
  }

  private dataKey(keyArn: string): Buffer {
    let key = this.dataKeys.get(keyArn);
    if (key === undefined) {
      key = Buffer.from(hkdfSync('sha256', this.masterKey, HKDF_SALT, keyArn, 32));
      this.dataKeys.set(keyArn, key);
    }
    return key;
  }
}

/** The canonical key ARN a stored record was encrypted under, if it was. */
export function encryptionKeyOf(attributes: string | undefined): string | undefined {
  return attributes !== undefined && attributes.startsWith(ATTRIBUTE_PREFIX) ? attributes.slice(ATTRIBUTE_PREFIX.length) : undefined;
}

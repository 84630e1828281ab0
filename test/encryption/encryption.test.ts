import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KeyRing, encryptionKeyOf, resolveKeyId } from '../../src/encryption/index.js';

const scope = { region: 'us-east-1', accountId: '123456789012' };
const uuid = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('KeyId resolution', () => {
  it('accepts every KMS form in the account and region and canonicalises it', () => {
    assert.equal(resolveKeyId(uuid, scope), `arn:aws:kms:us-east-1:123456789012:key/${uuid}`);
    assert.equal(resolveKeyId(`arn:aws:kms:us-east-1:123456789012:key/${uuid}`, scope), `arn:aws:kms:us-east-1:123456789012:key/${uuid}`);
    assert.equal(resolveKeyId('alias/aws/kinesis', scope), 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis');
    assert.equal(resolveKeyId('alias/my-key', scope), 'arn:aws:kms:us-east-1:123456789012:alias/my-key');
    assert.equal(resolveKeyId('arn:aws:kms:us-east-1:123456789012:alias/my-key', scope), 'arn:aws:kms:us-east-1:123456789012:alias/my-key');
    assert.equal(resolveKeyId('mrk-1234abcd12ab34cd56ef1234567890ab', scope), 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab');
  });

  it('rejects unknown keys with KMS errors', () => {
    assert.throws(() => resolveKeyId('not-a-key', scope), { name: 'KMSNotFoundException', message: 'Invalid keyId not-a-key' });
    assert.throws(() => resolveKeyId('alias/aws/s3', scope), { name: 'KMSNotFoundException', message: 'Alias alias/aws/s3 is not found.' });
    assert.throws(() => resolveKeyId(`arn:aws:kms:eu-west-1:123456789012:key/${uuid}`, scope), { name: 'KMSNotFoundException' });
    assert.throws(() => resolveKeyId(`arn:aws:kms:us-east-1:999999999999:key/${uuid}`, scope), { name: 'KMSAccessDeniedException' });
    assert.throws(() => resolveKeyId('arn:aws:kms:us-east-1:123456789012:key/nope', scope), { name: 'KMSNotFoundException' });
  });
});

describe('KeyRing', () => {
  it('round-trips data and marks it with the canonical key', async () => {
    const ring = await KeyRing.open({ dataDir: '', inMemory: true, ...scope });
    const plaintext = Buffer.from('hello records');
    const sealed = ring.encrypt(uuid, plaintext);
    assert.notDeepEqual(Buffer.from(sealed.data).subarray(13, 13 + plaintext.length), plaintext);
    assert.equal(encryptionKeyOf(sealed.attributes), `arn:aws:kms:us-east-1:123456789012:key/${uuid}`);
    assert.deepEqual(Buffer.from(ring.decrypt(sealed.attributes, sealed.data)), plaintext);
    assert.deepEqual(Buffer.from(ring.decrypt(undefined, plaintext)), plaintext);
    const empty = ring.encrypt('alias/aws/kinesis', new Uint8Array(0));
    assert.equal(ring.decrypt(empty.attributes, empty.data).length, 0);
  });

  it('detects tampering and a swapped key', async () => {
    const ring = await KeyRing.open({ dataDir: '', inMemory: true, ...scope });
    const sealed = ring.encrypt(uuid, Buffer.from('abc'));
    const tampered = Buffer.from(sealed.data);
    tampered[14] = tampered[14]! ^ 1;
    assert.throws(() => ring.decrypt(sealed.attributes, tampered), { name: 'RecordDecryptionError' });
    assert.throws(() => ring.decrypt('kms=arn:aws:kms:us-east-1:123456789012:alias/other', sealed.data), { name: 'RecordDecryptionError' });
  });

  it('keeps the master key in the data directory across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-keyring-'));
    try {
      const first = await KeyRing.open({ dataDir, inMemory: false, ...scope });
      const sealed = first.encrypt('alias/aws/kinesis', Buffer.from('persisted'));
      const second = await KeyRing.open({ dataDir, inMemory: false, ...scope });
      assert.equal(Buffer.from(second.decrypt(sealed.attributes, sealed.data)).toString(), 'persisted');
      assert.equal((await stat(join(dataDir, 'encryption', 'master.key'))).mode & 0o777, 0o600);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

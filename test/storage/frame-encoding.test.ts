/**
 * Frame encoding on append: partition keys take a JavaScript copy when they are all ASCII and
 * Buffer#write otherwise; both must put the key's UTF-8 bytes on disk and read back the same key.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { FRAME_OVERHEAD_BYTES } from '../../src/storage/embedded/format.js';
import { ALL, capturingLogger, frameOffsets, openAt, segmentFiles, tempDataDir } from './helpers.js';

const LOG = 'encoding/0';

describe('frame encoding', () => {
  it('stores every partition key as its UTF-8 bytes and reads it back', async (t) => {
    const keys = ['k', 'partition-key-17', 'a'.repeat(256), 'b'.repeat(257), 'é', 'ascii then ü', '日本語のキー', 'emoji 🎉 key', '\u007f\u0000'];
    const dataDir = await tempDataDir(t);
    const storage = await openAt(dataDir, capturingLogger().log);
    await storage.log.createLog(LOG);
    await storage.log.append(LOG, keys.map((partitionKey, i) => ({ partitionKey, data: Buffer.from(`data-${i}`), arrivalMs: 1_000 })));
    assert.deepEqual((await storage.log.read(LOG, 0, ALL)).records.map((r) => r.partitionKey), keys);
    await storage.close();

    const [segment] = await segmentFiles(dataDir, LOG);
    const bytes = await readFile(segment!);
    const stored = (await frameOffsets(segment!)).map((offset) => {
      const keyLength = bytes.readUInt16LE(offset + 24);
      return bytes.subarray(offset + FRAME_OVERHEAD_BYTES, offset + FRAME_OVERHEAD_BYTES + keyLength);
    });
    assert.deepEqual(stored, keys.map((key) => Buffer.from(key, 'utf8')));
  });
});

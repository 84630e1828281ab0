/**
 * Object bodies for each CompressionFormat, with the key extension and Content-Encoding AWS pairs
 * with it:
 *
 * | format        | extension | Content-Encoding | body                                            |
 * |---------------|-----------|------------------|-------------------------------------------------|
 * | UNCOMPRESSED  | (none)    | (none)           | the bytes as they are                           |
 * | GZIP          | .gz       | gzip             | one gzip member                                 |
 * | ZIP           | .zip      | zip              | an archive with one deflated entry named by UUID |
 * | Snappy        | .snappy   | snappy-java      | xerial snappy-java stream (see below)           |
 * | HADOOP_SNAPPY | .snappy   | hadoop-snappy    | Hadoop BlockCompressorStream framing            |
 * | ZSTD          | .zst      | zstd             | one Zstandard frame (see below)                 |
 *
 * ZSTD is not a Firehose format (its model refuses it); Kinesis stream channels use it. Node 20
 * has no Zstandard encoder, so unless `zlib.zstdCompress` exists (Node ≥ 22.15) the frame holds
 * the data in raw (stored) blocks: valid Zstandard that every decoder reads, just not smaller.
 *
 * The two Snappy containers wrap raw Snappy blocks from the `snappy` package:
 * - snappy-java: magic `82 53 4E 41 50 50 59 00`, int32 BE version 1, int32 BE compatible
 *   version 1, then per block of at most 32 KiB input: int32 BE compressed length, block.
 * - Hadoop: per block of at most 64 KiB input: int32 BE uncompressed length, then one chunk of
 *   int32 BE compressed length, block (Hadoop's decompressor reads chunks until the block's
 *   uncompressed length is reached, so one chunk per block is valid).
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type * as Snappy from 'snappy';
import type Yazl from 'yazl';

/** snappy and yazl load on first use, so servers that never compress that way don't pay for them at startup. */
const requireModule = createRequire(import.meta.url);
let snappy: typeof Snappy | undefined;
let yazl: typeof Yazl | undefined;

function compressSnappyBlock(block: Buffer): Buffer {
  snappy ??= requireModule('snappy') as typeof Snappy;
  return snappy.compressSync(block);
}

export type CompressionFormat = 'UNCOMPRESSED' | 'GZIP' | 'ZIP' | 'Snappy' | 'HADOOP_SNAPPY' | 'ZSTD';

const gzipAsync = promisify(zlib.gzip);
type Compressor = (body: Buffer, callback: (err: Error | null, result: Buffer) => void) => void;
const nativeZstd = (zlib as unknown as { zstdCompress?: Compressor }).zstdCompress;
const zstdAsync = nativeZstd ? promisify(nativeZstd) : undefined;
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Single segment, 8-byte content size, no checksum, no dictionary. */
const ZSTD_FRAME_DESCRIPTOR = 0xe0;
const ZSTD_BLOCK_BYTES_MAX = 128 * 1024;

export const SNAPPY_JAVA_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const SNAPPY_JAVA_BLOCK_BYTES = 32 * 1024;
const HADOOP_SNAPPY_BLOCK_BYTES = 64 * 1024;

export function extensionFor(format: CompressionFormat): string {
  switch (format) {
    case 'UNCOMPRESSED': return '';
    case 'GZIP': return '.gz';
    case 'ZIP': return '.zip';
    case 'Snappy': return '.snappy';
    case 'HADOOP_SNAPPY': return '.snappy';
    case 'ZSTD': return '.zst';
  }
}

export function contentEncodingFor(format: CompressionFormat): string | undefined {
  switch (format) {
    case 'UNCOMPRESSED': return undefined;
    case 'GZIP': return 'gzip';
    case 'ZIP': return 'zip';
    case 'Snappy': return 'snappy-java';
    case 'HADOOP_SNAPPY': return 'hadoop-snappy';
    case 'ZSTD': return 'zstd';
  }
}

export async function compress(format: CompressionFormat, body: Buffer): Promise<Buffer> {
  switch (format) {
    case 'UNCOMPRESSED': return body;
    case 'GZIP': return gzipAsync(body);
    case 'ZIP': return zipSingleEntry(body, randomUUID());
    case 'Snappy': return snappyJavaStream(body);
    case 'HADOOP_SNAPPY': return hadoopSnappy(body);
    case 'ZSTD': return zstdAsync ? zstdAsync(body) : zstdStoredFrame(body);
  }
}

/** A Zstandard frame whose blocks are raw (RFC 8878 §3.1.1: Block_Type 0). */
export function zstdStoredFrame(body: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header[0] = ZSTD_FRAME_DESCRIPTOR;
  header.writeBigUInt64LE(BigInt(body.length), 1);
  const parts: Buffer[] = [ZSTD_MAGIC, header];
  let offset = 0;
  do {
    const size = Math.min(ZSTD_BLOCK_BYTES_MAX, body.length - offset);
    const last = offset + size >= body.length ? 1 : 0;
    const blockHeader = Buffer.alloc(3);
    blockHeader.writeUIntLE((size << 3) | last, 0, 3);
    parts.push(blockHeader, body.subarray(offset, offset + size));
    offset += size;
  } while (offset < body.length);
  return Buffer.concat(parts);
}

function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

export function snappyJavaStream(body: Buffer): Buffer {
  const parts: Buffer[] = [SNAPPY_JAVA_MAGIC, int32(1), int32(1)];
  for (let offset = 0; offset < body.length; offset += SNAPPY_JAVA_BLOCK_BYTES) {
    const block = compressSnappyBlock(body.subarray(offset, offset + SNAPPY_JAVA_BLOCK_BYTES));
    parts.push(int32(block.length), block);
  }
  return Buffer.concat(parts);
}

export function hadoopSnappy(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += HADOOP_SNAPPY_BLOCK_BYTES) {
    const input = body.subarray(offset, offset + HADOOP_SNAPPY_BLOCK_BYTES);
    const block = compressSnappyBlock(input);
    parts.push(int32(input.length), int32(block.length), block);
  }
  return Buffer.concat(parts);
}

function zipSingleEntry(body: Buffer, entryName: string): Promise<Buffer> {
  yazl ??= requireModule('yazl') as typeof Yazl;
  const { ZipFile } = yazl;
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
    zip.addBuffer(body, entryName, { compress: true });
    zip.end();
  });
}

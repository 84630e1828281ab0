/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by the AWS event-stream framing.
 * Uses zlib.crc32 where Node has it (20.15+, 22.2+) and a byte-at-a-time table otherwise. Either
 * can be continued across buffers: `crc32(b, crc32(a))` equals `crc32(concat(a, b))`.
 */
import zlib from 'node:zlib';

const REFLECTED_POLYNOMIAL = 0xedb88320;

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? (value >>> 1) ^ REFLECTED_POLYNOMIAL : value >>> 1;
    table[byte] = value >>> 0;
  }
  return table;
}

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const nativeCrc32 = (zlib as unknown as { crc32?: NativeCrc32 }).crc32;

/** The table implementation, always available (and tested against the native one). */
export function tableCrc32(bytes: Uint8Array, previous = 0, start = 0, end = bytes.length): number {
  let crc = ~previous >>> 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export function crc32(bytes: Uint8Array, previous = 0, start = 0, end = bytes.length): number {
  if (!nativeCrc32) return tableCrc32(bytes, previous, start, end);
  const range = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  return nativeCrc32(range, previous) >>> 0;
}

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by the AWS event-stream framing.
 * Node 20 has no zlib.crc32, so this is the classic byte-at-a-time table version. It can be
 * continued across buffers: `crc32(b, crc32(a))` equals `crc32(concat(a, b))`.
 */
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

export function crc32(bytes: Uint8Array, previous = 0, start = 0, end = bytes.length): number {
  let crc = ~previous >>> 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

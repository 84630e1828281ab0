/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-16 over one flat table,
 * reading 32-bit little-endian words through a DataView. Node 20 has no built-in CRC32C; this
 * variant measured about twice as fast as byte-wise slicing-by-8 on 1 KiB records.
 */
const POLY = 0x82f63b78;
const SLICES = 16;

/** TABLE[k * 256 + b]: CRC of byte b followed by k zero bytes. */
const TABLE = buildTable();

function buildTable(): Int32Array {
  const table = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    table[n] = c;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = table[(k - 1) * 256 + n]!;
      table[k * 256 + n] = table[prev & 0xff]! ^ (prev >>> 8);
    }
  }
  return table;
}

/** CRC32C of `bytes[start, end)`; pass a previous result as `seed` to continue a running CRC. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  const t = TABLE;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let crc = ~seed;
  let i = start;
  const fastEnd = end - SLICES;
  while (i <= fastEnd) {
    const a = crc ^ view.getInt32(i, true);
    const b = view.getInt32(i + 4, true);
    const c = view.getInt32(i + 8, true);
    const d = view.getInt32(i + 12, true);
    crc =
      t[3840 + (a & 0xff)]! ^ t[3584 + ((a >>> 8) & 0xff)]! ^ t[3328 + ((a >>> 16) & 0xff)]! ^ t[3072 + (a >>> 24)]! ^
      t[2816 + (b & 0xff)]! ^ t[2560 + ((b >>> 8) & 0xff)]! ^ t[2304 + ((b >>> 16) & 0xff)]! ^ t[2048 + (b >>> 24)]! ^
      t[1792 + (c & 0xff)]! ^ t[1536 + ((c >>> 8) & 0xff)]! ^ t[1280 + ((c >>> 16) & 0xff)]! ^ t[1024 + (c >>> 24)]! ^
      t[768 + (d & 0xff)]! ^ t[512 + ((d >>> 8) & 0xff)]! ^ t[256 + ((d >>> 16) & 0xff)]! ^ t[d >>> 24]!;
    i += SLICES;
  }
  while (i < end) {
    crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}

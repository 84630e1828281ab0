/**
 * Hash keys: the 128-bit space records are routed by. A record's hash key is MD5 of its partition
 * key (UTF-8) read as a big-endian unsigned integer, or the ExplicitHashKey it carries.
 */
export const HASH_KEY_MAX = (1n << 128n) - 1n;

/**
 * MD5 (RFC 1321) in JavaScript: for a partition key (at most 256 characters, mostly one block) the
 * hash is cheaper than the call into native crypto, and its result stays in numbers: the 128-bit
 * hash key as four 32-bit words, most significant first, which routing compares without a BigInt.
 */
const BLOCK_BYTES = 64;
/** The 64-bit message length follows the message, its 0x80 terminator and zero padding. */
const LENGTH_BYTES = 8;
const ASCII_END = 0x80;
const block = new Int32Array(BLOCK_BYTES / 4);
const state = new Int32Array(4);
/** The last hash key computed by `partitionKeyHashWords`. */
const hashKeyWords = new Uint32Array(4);

/** One MD5 compression of `block` into `state`. */
function compress(): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  const m0 = block[0]!, m1 = block[1]!, m2 = block[2]!, m3 = block[3]!, m4 = block[4]!, m5 = block[5]!, m6 = block[6]!, m7 = block[7]!;
  const m8 = block[8]!, m9 = block[9]!, m10 = block[10]!, m11 = block[11]!, m12 = block[12]!, m13 = block[13]!, m14 = block[14]!, m15 = block[15]!;
  let x: number;
  x = (a + ((b & c) | (~b & d)) + 0xd76aa478 + m0) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 0xe8c7b756 + m1) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 0x242070db + m2) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 0xc1bdceee + m3) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 0xf57c0faf + m4) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 0x4787c62a + m5) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 0xa8304613 + m6) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 0xfd469501 + m7) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 0x698098d8 + m8) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 0x8b44f7af + m9) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 0xffff5bb1 + m10) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 0x895cd7be + m11) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 0x6b901122 + m12) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 0xfd987193 + m13) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 0xa679438e + m14) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 0x49b40821 + m15) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & d) | (c & ~d)) + 0xf61e2562 + m1) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + 0xc040b340 + m6) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + 0x265e5a51 + m11) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + 0xe9b6c7aa + m0) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + 0xd62f105d + m5) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + 0x02441453 + m10) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + 0xd8a1e681 + m15) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + 0xe7d3fbc8 + m4) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + 0x21e1cde6 + m9) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + 0xc33707d6 + m14) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + 0xf4d50d87 + m3) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + 0x455a14ed + m8) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + 0xa9e3e905 + m13) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + 0xfcefa3f8 + m2) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + 0x676f02d9 + m7) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + 0x8d2a4c8a + m12) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (b ^ c ^ d) + 0xfffa3942 + m5) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 0x8771f681 + m8) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0x6d9d6122 + m11) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 0xfde5380c + m14) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 0xa4beea44 + m1) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 0x4bdecfa9 + m4) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0xf6bb4b60 + m7) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 0xbebfbc70 + m10) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 0x289b7ec6 + m13) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 0xeaa127fa + m0) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0xd4ef3085 + m3) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 0x04881d05 + m6) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 0xd9d4d039 + m9) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 0xe6db99e5 + m12) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 0x1fa27cf8 + m15) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 0xc4ac5665 + m2) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (c ^ (b | ~d)) + 0xf4292244 + m0) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 0x432aff97 + m7) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 0xab9423a7 + m14) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 0xfc93a039 + m5) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 0x655b59c3 + m12) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 0x8f0ccc92 + m3) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 0xffeff47d + m10) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 0x85845dd1 + m1) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 0x6fa87e4f + m8) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 0xfe2ce6e0 + m15) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 0xa3014314 + m6) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 0x4e0811a1 + m13) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 0xf7537e82 + m4) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 0xbd3af235 + m11) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 0x2ad7d2bb + m2) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 0xeb86d391 + m9) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

/** Longest message that fits one block with its terminator and length. */
const ONE_BLOCK_BYTES_MAX = BLOCK_BYTES - LENGTH_BYTES - 1;

function resetState(): void {
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
}

/** MD5 of an ASCII key of at most 55 characters (one block) into `state`, reading its characters
 * once; false, with nothing done, for any other key. */
function hashShortAscii(partitionKey: string): boolean {
  const length = partitionKey.length;
  if (length > ONE_BLOCK_BYTES_MAX) return false;
  let word = 0;
  for (let i = 0; i < length; i++) {
    const code = partitionKey.charCodeAt(i);
    if (code >= ASCII_END) return false;
    word |= code << ((i & 3) << 3);
    if ((i & 3) === 3) {
      block[i >> 2] = word;
      word = 0;
    }
  }
  block[length >> 2] = word | (ASCII_END << ((length & 3) << 3));
  for (let i = (length >> 2) + 1; i < 14; i++) block[i] = 0;
  block[14] = length << 3;
  block[15] = 0;
  resetState();
  compress();
  return true;
}

/** MD5 of the UTF-8 of any key into `state`, block by block. */
function hashAnyKey(partitionKey: string): void {
  const bytes = Buffer.from(partitionKey, 'utf8');
  const length = bytes.length;
  resetState();
  const blocks = Math.floor((length + LENGTH_BYTES) / BLOCK_BYTES) + 1;
  for (let start = 0, n = 0; n < blocks; n++, start += BLOCK_BYTES) {
    block.fill(0);
    const end = Math.min(length, start + BLOCK_BYTES);
    for (let i = start; i < end; i++) block[(i - start) >> 2]! |= bytes[i]! << (((i - start) & 3) << 3);
    if (length >= start && length < start + BLOCK_BYTES) block[(length - start) >> 2]! |= ASCII_END << (((length - start) & 3) << 3);
    if (n === blocks - 1) {
      block[14] = length << 3;
      block[15] = length >>> 29;
    }
    compress();
  }
}

function byteSwap(word: number): number {
  return (((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24)) >>> 0;
}

/**
 * The hash key of `partitionKey` (MD5 of its UTF-8, big-endian) as four 32-bit words, most
 * significant first. The array is reused: it holds the result until the next call.
 */
export function partitionKeyHashWords(partitionKey: string): Uint32Array {
  if (!hashShortAscii(partitionKey)) hashAnyKey(partitionKey);
  for (let i = 0; i < 4; i++) hashKeyWords[i] = byteSwap(state[i]!);
  return hashKeyWords;
}

/** The 128-bit integer of four 32-bit words, most significant first. */
export function hashKeyFromWords(words: ArrayLike<number>): bigint {
  return (BigInt(words[0]!) << 96n) | (BigInt(words[1]!) << 64n) | (BigInt(words[2]!) << 32n) | BigInt(words[3]!);
}

/** The four 32-bit words of a hash key, most significant first. */
export function hashKeyToWords(hashKey: bigint, into: Uint32Array, at = 0): void {
  for (let i = 0; i < 4; i++) into[at + i] = Number((hashKey >> BigInt(96 - 32 * i)) & 0xffffffffn);
}

/** MD5 of the partition key (UTF-8) read as a big-endian unsigned integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  return hashKeyFromWords(partitionKeyHashWords(partitionKey));
}

export interface HashKeyRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** AWS's split of the space over `shardCount` new shards: shard i starts at i·⌊2^128/n⌋ and the
 * last one absorbs the remainder up to 2^128−1. */
export function evenHashKeyRanges(shardCount: number): HashKeyRange[] {
  const n = BigInt(shardCount);
  const width = (HASH_KEY_MAX + 1n) / n;
  const ranges: HashKeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    const start = i * width;
    const end = i === n - 1n ? HASH_KEY_MAX : start + width - 1n;
    ranges.push({ start, end });
  }
  return ranges;
}

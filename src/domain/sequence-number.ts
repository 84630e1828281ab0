/**
 * Sequence numbers in AWS's layout: 47 hex digits, written in decimal (56 digits).
 *
 *   hex digit  0    1–9            10               11–26             27–28  29–37          38–45        46
 *              `2`  shard created  shard index low  per-shard counter  `00`  arrival        shard index  `2`
 *                   (epoch s)      nibble           (64 bits)                (epoch s)
 *
 * The counter sits above the arrival time, so numbers grow with the counter within a shard even
 * when many records share one second, and across restarts (the counter is the storage counter).
 * A shard's StartingSequenceNumber is counter 0 at its creation second; a closed shard's
 * EndingSequenceNumber uses the largest counter.
 */
const FRAME = 2n;
const SHARD_CREATED_SHIFT = 148n;
const INDEX_NIBBLE_SHIFT = 144n;
const COUNTER_SHIFT = 80n;
const ARRIVAL_SHIFT = 36n;
const SHARD_INDEX_SHIFT = 4n;
const TOP_SHIFT = 184n;
const MASK_36 = (1n << 36n) - 1n;
const MASK_32 = (1n << 32n) - 1n;
const MASK_64 = (1n << 64n) - 1n;

export const ENDING_COUNTER = MASK_64 >> 1n;

export interface SequenceNumberParts {
  readonly shardCreatedSec: number;
  readonly shardIndex: number;
  readonly counter: bigint;
  readonly arrivalSec: number;
}

/** The part of every sequence number of one shard that does not depend on the record. */
export function shardSequenceBase(shardCreatedSec: number, shardIndex: number): bigint {
  const index = BigInt(shardIndex);
  return (FRAME << TOP_SHIFT)
    | ((BigInt(shardCreatedSec) & MASK_36) << SHARD_CREATED_SHIFT)
    | ((index & 0xfn) << INDEX_NIBBLE_SHIFT)
    | ((index & MASK_32) << SHARD_INDEX_SHIFT)
    | FRAME;
}

/** The shard base with the arrival second of the previous call: consecutive records of a batch
 * share both, which saves two of the BigInt operations per sequence number. */
let lastBase = -1n;
let lastArrivalSec = -1;
let lastBaseWithArrival = 0n;

export function sequenceNumberFromBase(base: bigint, counter: number | bigint, arrivalMs: number): string {
  const arrivalSec = Math.floor(arrivalMs / 1000);
  if (base !== lastBase || arrivalSec !== lastArrivalSec) {
    lastBase = base;
    lastArrivalSec = arrivalSec;
    lastBaseWithArrival = base | (BigInt(arrivalSec) << ARRIVAL_SHIFT);
  }
  return (lastBaseWithArrival | (BigInt(counter) << COUNTER_SHIFT)).toString();
}

/** Every sequence number has 56 digits. */
const DIGITS = 56;
/** The digits are handled in groups of four: one 32-bit word of character codes each. */
const GROUP = 10_000;
const GROUP_DIGITS = 4;
const GROUPS = DIGITS / GROUP_DIGITS;
/** Consecutive counters differ in the low 28 digits (7 groups), unless a carry leaves them. */
const LOW_GROUPS = 7;
/** 2^80, the step from one counter to the next, in groups (least significant first). */
const COUNTER_STEP = Array.from({ length: LOW_GROUPS }, (_, i) => Number(((1n << COUNTER_SHIFT) / 10n ** BigInt(GROUP_DIGITS * i)) % BigInt(GROUP)));
/** The four character codes of 0000…9999 as one word in memory order. */
const GROUP_TEXT = (() => {
  const words = new Uint32Array(GROUP);
  const bytes = new Uint8Array(words.buffer);
  for (let value = 0; value < GROUP; value++) bytes.set(Buffer.from(String(value).padStart(GROUP_DIGITS, '0'), 'latin1'), value * GROUP_DIGITS);
  return words;
})();

/** Digits of a batch of sequence numbers, reused (grown) across batches. */
let digitWords = new Uint32Array(0);
let digitBytes = Buffer.alloc(0);
const lowGroups = new Array<number>(LOW_GROUPS).fill(0);

/** What a sequence number is made of besides the shard: a stored record has both. */
export interface SequencedRecord {
  readonly counter: number;
  readonly arrivalMs: number;
}

/** The sequence numbers of records read from one shard, in order. */
export function sequenceNumbersOfRecords(base: bigint, records: ArrayLike<SequencedRecord>): string[] {
  return sequenceNumbers(base, records.length, records, 0, undefined);
}

/** The sequence numbers of one append to a shard: counters from `firstCounter`, one arrival time
 * per record. */
export function sequenceNumbersOfAppend(base: bigint, firstCounter: number, arrivalMs: ArrayLike<number>): string[] {
  return sequenceNumbers(base, arrivalMs.length, undefined, firstCounter, arrivalMs);
}

/**
 * The same text as `sequenceNumberFromBase` for each record, built in one pass: a record whose
 * counter follows the previous one in the same arrival second is the previous number plus 2^80,
 * added in decimal groups without a BigInt; all digits are written into one buffer and read back
 * as one string, of which each number is a slice. Records come either as objects or as a first
 * counter plus arrival times.
 */
function sequenceNumbers(
  base: bigint,
  count: number,
  records: ArrayLike<SequencedRecord> | undefined,
  firstCounter: number,
  arrivals: ArrayLike<number> | undefined,
): string[] {
  if (digitWords.length < count * GROUPS) {
    digitWords = new Uint32Array(Math.max(count, 64) * GROUPS);
    digitBytes = Buffer.from(digitWords.buffer);
  }
  const words = digitWords;
  let previousCounter = -1;
  let previousSec = -1;
  for (let k = 0; k < count; k++) {
    const counter = records === undefined ? firstCounter + k : records[k]!.counter;
    const arrivalSec = Math.floor((records === undefined ? arrivals![k]! : records[k]!.arrivalMs) / 1000);
    const at = k * GROUPS;
    if (counter === previousCounter + 1 && arrivalSec === previousSec && addCounterStep()) {
      for (let g = 0; g < GROUPS - LOW_GROUPS; g++) words[at + g] = words[at - GROUPS + g]!;
      for (let g = 0; g < LOW_GROUPS; g++) words[at + GROUPS - 1 - g] = GROUP_TEXT[lowGroups[g]!]!;
    } else {
      const text = sequenceNumberFromBase(base, counter, arrivalSec * 1000);
      digitBytes.write(text, at * GROUP_DIGITS, 'latin1');
      for (let g = 0; g < LOW_GROUPS; g++) lowGroups[g] = Number(text.slice(DIGITS - GROUP_DIGITS * (g + 1), DIGITS - GROUP_DIGITS * g));
    }
    previousCounter = counter;
    previousSec = arrivalSec;
  }
  const all = digitBytes.toString('latin1', 0, count * DIGITS);
  const numbers = new Array<string>(count);
  for (let k = 0; k < count; k++) numbers[k] = all.slice(k * DIGITS, (k + 1) * DIGITS);
  return numbers;
}

/** Adds 2^80 to the low groups; false (and the groups unusable) when the sum carries out of them. */
function addCounterStep(): boolean {
  let carry = 0;
  for (let g = 0; g < LOW_GROUPS; g++) {
    const sum = lowGroups[g]! + COUNTER_STEP[g]! + carry;
    carry = sum >= GROUP ? 1 : 0;
    lowGroups[g] = sum - carry * GROUP;
  }
  return carry === 0;
}

export function encodeSequenceNumber(parts: SequenceNumberParts): string {
  const base = shardSequenceBase(parts.shardCreatedSec, parts.shardIndex);
  return (base | ((parts.counter & MASK_64) << COUNTER_SHIFT) | ((BigInt(parts.arrivalSec) & MASK_36) << ARRIVAL_SHIFT)).toString();
}

/** Undefined when the text is not a sequence number in this layout. The counter and the shard
 * index are signed 64- and 32-bit values in AWS's encoding, so their top nibble is at most 7. */
export function decodeSequenceNumber(text: string): SequenceNumberParts | undefined {
  if (!/^[1-9]\d{55}$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value >> TOP_SHIFT !== FRAME || (value & 0xfn) !== FRAME) return undefined;
  const counter = (value >> COUNTER_SHIFT) & MASK_64;
  const shardIndex = (value >> SHARD_INDEX_SHIFT) & MASK_32;
  if (counter > ENDING_COUNTER || shardIndex > MASK_32 >> 1n) return undefined;
  return {
    shardCreatedSec: Number((value >> SHARD_CREATED_SHIFT) & MASK_36),
    shardIndex: Number(shardIndex),
    counter,
    arrivalSec: Number((value >> ARRIVAL_SHIFT) & MASK_36),
  };
}

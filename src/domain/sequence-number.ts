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

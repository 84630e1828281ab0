/**
 * The orders in which AWS's (Java, Coral) validator reports things.
 *
 * AWS lists a structure's failing members in the iteration order of a JDK 7 java.util.HashMap
 * keyed by the lowerCamel member names, filled in model order. This reproduces every multi-error
 * message recorded against AWS that we know of, e.g. PutRecord
 * `sequenceNumberForOrdering, partitionKey, explicitHashKey, data, streamName` and GetShardIterator
 * `shardId, shardIteratorType, startingSequenceNumber, streamName` (kinesalite tests, recorded
 * against Kinesis).
 *
 * Enum value sets print in the order of their values' String.hashCode() modulo the smallest
 * power-of-two table (≥ 16) that holds them at load factor 0.75, ties in model order. This
 * reproduces the recorded ShardIteratorType sets, before and after AT_TIMESTAMP was added:
 * `[AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]` and
 * `[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`.
 */

/** java.lang.String#hashCode as a signed 32-bit integer. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** JDK 7 HashMap.hash(): spreads the key's hashCode (hashSeed 0, no alternative String hashing). */
function jdk7Spread(hashCode: number): number {
  let h = hashCode >>> 0;
  h ^= (h >>> 20) ^ (h >>> 12);
  return (h ^ (h >>> 7) ^ (h >>> 4)) >>> 0;
}

const JDK7_INITIAL_CAPACITY = 16;
const JDK7_LOAD_FACTOR = 0.75;

/** Iteration order of a JDK 7 HashMap after putting `keys` in order (distinct keys). */
export function jdk7HashMapOrder(keys: readonly string[]): string[] {
  let capacity = JDK7_INITIAL_CAPACITY;
  // Each bucket lists its entries head first, as the JDK 7 chain does.
  let table: { key: string; hash: number }[][] = Array.from({ length: capacity }, () => []);
  let size = 0;
  for (const key of keys) {
    const hash = jdk7Spread(javaStringHash(key));
    let bucket = hash & (capacity - 1);
    if (size >= capacity * JDK7_LOAD_FACTOR && table[bucket]!.length > 0) {
      const grown: { key: string; hash: number }[][] = Array.from({ length: capacity * 2 }, () => []);
      // JDK 7 transfer(): walks old buckets in order and pushes each entry onto the new chain's head.
      for (const chain of table) for (const entry of chain) grown[entry.hash & (capacity * 2 - 1)]!.unshift(entry);
      capacity *= 2;
      table = grown;
      bucket = hash & (capacity - 1);
    }
    table[bucket]!.unshift({ key, hash });
    size++;
  }
  return table.flatMap((chain) => chain.map((entry) => entry.key));
}

/** Order of an enum's values in AWS's `Member must satisfy enum value set: [...]`. */
export function coralEnumOrder(values: readonly string[]): string[] {
  let capacity = JDK7_INITIAL_CAPACITY;
  while (values.length > capacity * JDK7_LOAD_FACTOR) capacity *= 2;
  return values
    .map((value, index) => ({ value, index, bucket: javaStringHash(value) & (capacity - 1) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.value);
}

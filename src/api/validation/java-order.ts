/**
 * The orders in which AWS's (Java, Coral) validator reports things, reconstructed from messages
 * recorded against AWS. Both are the iteration order of a chained hash table (hashTableOrder):
 *
 * - Members of a structure, and keys of a map: keys are the lowerCamel names inserted in model
 *   order, hashed with String.hashCode() spread as JDK 7's HashMap does, 16 buckets to start.
 *   Reproduces Kinesis PutRecord `sequenceNumberForOrdering, partitionKey, explicitHashKey, data,
 *   streamName`, GetShardIterator `shardId, shardIteratorType, startingSequenceNumber, streamName`,
 *   PutRecords, its entries, CreateStream, AddTagsToStream (kinesalite tests) and a 17-member
 *   DynamoDB Query message (dynalite tests, incl. map keys `b` before `a`). One recorded message
 *   disagrees: SplitShard lists `newStartingHashKey, streamName, shardToSplit`, this gives
 *   `newStartingHashKey, shardToSplit, streamName` (the two collide; AWS's insertion order there
 *   is unknown).
 * - Enum values: plain String.hashCode(), 32 buckets to start. Reproduces ShardIteratorType with
 *   and without AT_TIMESTAMP (`[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER,
 *   TRIM_HORIZON]`) and DynamoDB's ComparisonOperator (13 values), Select and ReturnConsumedCapacity.
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

const LOAD_FACTOR = 0.75;

interface Entry { readonly key: string; readonly hash: number }

/**
 * Iteration order of a chained hash table filled with `keys` in order (distinct keys): each entry
 * goes to the head of its bucket's chain; the table doubles, keeping each chain's order, when an
 * insert finds `size >= 0.75 × capacity` and a non-empty bucket; iteration walks buckets in index
 * order. (A real JDK 7 HashMap reverses chains when it grows; the recorded 17-member DynamoDB
 * Query message says AWS's does not.)
 */
function hashTableOrder(keys: readonly string[], hashOf: (key: string) => number, initialCapacity: number): string[] {
  let capacity = initialCapacity;
  let table: Entry[][] = Array.from({ length: capacity }, () => []);
  let size = 0;
  for (const key of keys) {
    const hash = hashOf(key);
    let bucket = hash & (capacity - 1);
    if (size >= capacity * LOAD_FACTOR && table[bucket]!.length > 0) {
      const grown: Entry[][] = Array.from({ length: capacity * 2 }, () => []);
      for (const chain of table) for (const entry of chain) grown[entry.hash & (capacity * 2 - 1)]!.push(entry);
      capacity *= 2;
      table = grown;
      bucket = hash & (capacity - 1);
    }
    table[bucket]!.unshift({ key, hash });
    size++;
  }
  return table.flatMap((chain) => chain.map((entry) => entry.key));
}

/** Order in which AWS reports a structure's members (lowerCamel names, in model order) or a map's keys. */
export function coralMemberOrder(keys: readonly string[]): string[] {
  return hashTableOrder(keys, (key) => jdk7Spread(javaStringHash(key)), 16);
}

/** Order of an enum's values (model order in) in AWS's `Member must satisfy enum value set: [...]`. */
export function coralEnumOrder(values: readonly string[]): string[] {
  return hashTableOrder(values, (value) => javaStringHash(value) >>> 0, 32);
}

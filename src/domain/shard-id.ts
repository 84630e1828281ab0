/** Shard ids: `shardId-` and a 12-digit index, given in creation order and never reused. */
const SHARD_ID_PREFIX = 'shardId-';
const SHARD_INDEX_MAX = 2147483647;

export function formatShardId(index: number): string {
  return SHARD_ID_PREFIX + String(index).padStart(12, '0');
}

/** AWS resolves loose spellings (`shardId-0`, `shard-7`, `12`) by the number after the first
 * dash (or the whole id without one). Undefined when that is not a number AWS accepts. */
export function parseShardId(shardId: string): number | undefined {
  const digits = shardId.split('-')[1] || shardId;
  if (!/^\d+$/.test(digits)) return undefined;
  const index = Number(digits);
  return index <= SHARD_INDEX_MAX ? index : undefined;
}

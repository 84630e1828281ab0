/** Shard ids: `shardId-` and a 12-digit index, given in creation order and never reused. */
const SHARD_ID_PREFIX = 'shardId-';

export function formatShardId(index: number): string {
  return SHARD_ID_PREFIX + String(index).padStart(12, '0');
}

/** AWS resolves loose spellings (`shardId-0`, `shard-7`, `12`) by the numeric part after the last
 * dash. Returns undefined when there is no such number. */
export function parseShardId(shardId: string): number | undefined {
  const dash = shardId.lastIndexOf('-');
  const digits = dash < 0 ? shardId : shardId.slice(dash + 1);
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  return Number(digits);
}

import { kinesisLimits } from '../../domain/limits.js';
import { parseShardId } from '../../domain/shard-id.js';
import type { ShardView, StreamView } from '../../domain/stream.js';
import { ExpiredNextTokenException, InvalidArgumentException } from '../../errors/kinesis.js';
import { streamNotActive, streamNotFound } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

type ShardFilterType = 'AFTER_SHARD_ID' | 'AT_TRIM_HORIZON' | 'FROM_TRIM_HORIZON' | 'AT_LATEST' | 'AT_TIMESTAMP' | 'FROM_TIMESTAMP';

interface ShardFilter {
  Type: ShardFilterType;
  ShardId?: string;
  Timestamp?: Date;
}

interface ListShardsInput {
  StreamName?: string;
  StreamARN?: string;
  NextToken?: string;
  ExclusiveStartShardId?: string;
  MaxResults?: number;
  StreamCreationTimestamp?: Date;
  ShardFilter?: ShardFilter;
}

/** What a NextToken remembers: the stream incarnation, the filter, and where the page ended. */
interface ListShardsToken {
  readonly issuedAtMs: number;
  readonly stream: string;
  readonly uid: string;
  readonly afterIndex: number;
  readonly filter?: { type: ShardFilterType; shardId?: string; timestampMs?: number };
}

const TOKEN_KIND = 'ListShards';

export const listShards: KinesisOperation = ({ streams, pageTokens, clock }) => async (input: ListShardsInput) => {
  const now = clock.now();
  const named = input.StreamName !== undefined || input.StreamARN !== undefined;
  if (input.NextToken !== undefined) {
    const conflicting = input.StreamName !== undefined ? 'StreamName'
      : input.StreamARN !== undefined ? 'StreamARN'
      : input.ExclusiveStartShardId !== undefined ? 'ExclusiveStartShardId'
      : input.ShardFilter !== undefined ? 'ShardFilter'
      : undefined;
    if (conflicting) throw new InvalidArgumentException(`NextToken and ${conflicting} cannot be provided together.`);
  }
  if (input.NextToken === undefined && !named) throw new InvalidArgumentException('Either NextToken or StreamName should be provided.');

  let stream: StreamView;
  let afterIndex = -1;
  let filter: ListShardsToken['filter'];
  if (input.NextToken !== undefined) {
    const token = pageTokens.decode<ListShardsToken>(TOKEN_KIND, input.NextToken);
    if (!token) throw new InvalidArgumentException(`Invalid ShardId: NextToken ${input.NextToken} is not valid.`);
    if (now - token.issuedAtMs > kinesisLimits.nextTokenAgeMsMax) {
      throw new ExpiredNextTokenException(`The NextToken ${input.NextToken} has expired. NextTokens expire after ${kinesisLimits.nextTokenAgeMsMax / 1000} seconds.`);
    }
    const current = streams.get(token.stream);
    if (!current || current.meta.uid !== token.uid) throw streamNotFound(token.stream, streams.accountId);
    stream = current;
    afterIndex = token.afterIndex;
    filter = token.filter;
  } else {
    stream = streams.resolve(input);
    if (input.StreamCreationTimestamp !== undefined && Math.abs(input.StreamCreationTimestamp.getTime() - stream.meta.createdAtMs) >= 1000) {
      throw streamNotFound(stream.name, streams.accountId);
    }
    if (input.ExclusiveStartShardId !== undefined) afterIndex = parseShardId(input.ExclusiveStartShardId) ?? -1;
    if (input.ShardFilter) filter = filterFromInput(input.ShardFilter);
  }
  if (stream.status === 'CREATING' || stream.status === 'DELETING') throw streamNotActive(stream.name, streams.accountId, stream.status);

  const selected = stream.shards.filter((shard) => shard.index > afterIndex && matchesFilter(stream, shard, filter, now));
  const maxResults = Math.min(input.MaxResults ?? kinesisLimits.listShardsDefault, kinesisLimits.listShardsDefault);
  const page = selected.slice(0, maxResults);
  const hasMore = selected.length > page.length;
  return {
    Shards: page.map((shard) => shard.describe()),
    ...(hasMore
      ? {
          NextToken: pageTokens.encode<ListShardsToken>(TOKEN_KIND, {
            issuedAtMs: now,
            stream: stream.name,
            uid: stream.meta.uid,
            afterIndex: page[page.length - 1]!.index,
            ...(filter ? { filter } : {}),
          }),
        }
      : {}),
  };
};

function filterFromInput(filter: ShardFilter): NonNullable<ListShardsToken['filter']> {
  switch (filter.Type) {
    case 'AFTER_SHARD_ID':
      if (filter.ShardId === undefined) throw new InvalidArgumentException('ShardId must be provided for AFTER_SHARD_ID ShardFilter type.');
      return { type: filter.Type, shardId: filter.ShardId };
    case 'AT_TIMESTAMP':
    case 'FROM_TIMESTAMP':
      if (filter.Timestamp === undefined) throw new InvalidArgumentException(`Timestamp must be provided for ${filter.Type} ShardFilter type.`);
      return { type: filter.Type, timestampMs: filter.Timestamp.getTime() };
    default:
      return { type: filter.Type };
  }
}

/** Whether the shard was open at `atMs` (AWS counts both ends as open). Shards without parents
 * count as open since before the stream existed, so a time before the stream's creation selects
 * the initial shards. */
function openAt(shard: ShardView, atMs: number): boolean {
  const born = shard.meta.parentIndex === undefined && shard.meta.adjacentParentIndex === undefined ? -Infinity : shard.meta.createdAtMs;
  const closed = shard.meta.closedAtMs ?? Infinity;
  return born <= atMs && atMs <= closed;
}

function matchesFilter(stream: StreamView, shard: ShardView, filter: ListShardsToken['filter'], nowMs: number): boolean {
  if (!filter) return true;
  const trimHorizonMs = nowMs - stream.meta.retentionHours * 3_600_000;
  switch (filter.type) {
    case 'AFTER_SHARD_ID':
      return shard.index > (parseShardId(filter.shardId!) ?? -1);
    case 'AT_TRIM_HORIZON':
      return openAt(shard, trimHorizonMs);
    case 'FROM_TRIM_HORIZON':
      return true;
    case 'AT_LATEST':
      return shard.open;
    case 'AT_TIMESTAMP':
      return openAt(shard, filter.timestampMs!);
    case 'FROM_TIMESTAMP':
      return (shard.meta.closedAtMs ?? Infinity) >= filter.timestampMs!;
  }
}

import { kinesisLimits } from '../../domain/limits.js';
import type { StreamMode } from '../../domain/stream.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { onDemandStreamLimitExceeded } from '../../streams/messages.js';
import { checkStreamsInTransition } from './streams-in-transition.js';
import { validateNewStreamTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface CreateStreamInput {
  StreamName: string;
  ShardCount?: number;
  StreamModeDetails?: { StreamMode: StreamMode };
  Tags?: Record<string, string>;
  WarmThroughputMiBps?: number;
  MaxRecordSizeInKiB?: number;
  RecordDistributionStrategy?: 'AUTO' | 'USER_PARTITION_KEY';
}

/**
 * A provisioned stream needs a ShardCount (AWS's docs); a stream created with neither a count nor
 * a mode gets AWS's default of 4 shards, which is how an on-demand stream starts, so it is made
 * on-demand.
 */
export const createStream: KinesisOperation = ({ streams }) => async (input: CreateStreamInput) => {
  const mode = input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
  if (mode === 'PROVISIONED' && input.ShardCount === undefined) {
    throw new InvalidArgumentException('ShardCount must be specified for a stream in PROVISIONED mode.');
  }
  if (input.Tags) validateNewStreamTags(input.Tags, input.StreamName, streams.accountId);
  checkStreamsInTransition(streams);
  if (mode === 'ON_DEMAND' && streams.onDemandStreamCount() >= streams.onDemandStreamCountLimit) {
    throw onDemandStreamLimitExceeded(streams.accountId, streams.region, streams.onDemandStreamCount(), streams.onDemandStreamCountLimit);
  }
  const shardCount = mode === 'ON_DEMAND' ? kinesisLimits.onDemandShardCount : input.ShardCount!;
  await streams.create({
    name: input.StreamName,
    shardCount,
    mode,
    ...(input.Tags ? { tags: input.Tags } : {}),
    ...(input.MaxRecordSizeInKiB !== undefined ? { maxRecordSizeKiB: input.MaxRecordSizeInKiB } : {}),
    ...(input.WarmThroughputMiBps !== undefined ? { warmThroughputMiBps: input.WarmThroughputMiBps } : {}),
    ...(input.RecordDistributionStrategy !== undefined ? { recordDistributionStrategy: input.RecordDistributionStrategy } : {}),
  });
  return {};
};

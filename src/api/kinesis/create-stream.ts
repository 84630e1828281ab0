import { kinesisLimits } from '../../domain/limits.js';
import type { StreamMode } from '../../domain/stream.js';
import { onDemandStreamLimitExceeded } from '../../streams/messages.js';
import { validateTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface CreateStreamInput {
  StreamName: string;
  ShardCount?: number;
  StreamModeDetails?: { StreamMode: StreamMode };
  Tags?: Record<string, string>;
  WarmThroughputMiBps?: number;
  MaxRecordSizeInKiB?: number;
}

export const createStream: KinesisOperation = ({ streams }) => async (input: CreateStreamInput) => {
  const mode = input.StreamModeDetails?.StreamMode ?? 'PROVISIONED';
  if (input.Tags) validateTags(input.Tags, input.StreamName, streams.accountId);
  if (mode === 'ON_DEMAND' && streams.onDemandStreamCount() >= streams.onDemandStreamCountLimit) {
    throw onDemandStreamLimitExceeded(streams.accountId, streams.region, streams.onDemandStreamCount(), streams.onDemandStreamCountLimit);
  }
  const shardCount = mode === 'ON_DEMAND' ? kinesisLimits.onDemandShardCount : input.ShardCount ?? kinesisLimits.defaultShardCount;
  await streams.create({
    name: input.StreamName,
    shardCount,
    mode,
    ...(input.Tags ? { tags: input.Tags } : {}),
    ...(input.MaxRecordSizeInKiB !== undefined ? { maxRecordSizeKiB: input.MaxRecordSizeInKiB } : {}),
    ...(input.WarmThroughputMiBps !== undefined ? { warmThroughputMiBps: input.WarmThroughputMiBps } : {}),
  });
  return {};
};

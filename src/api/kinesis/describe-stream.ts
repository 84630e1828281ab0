import { kinesisLimits } from '../../domain/limits.js';
import { parseShardId } from '../../domain/shard-id.js';
import { encryptionFields, enhancedMonitoring, streamModeDetails } from './describe-shapes.js';
import type { KinesisOperation } from './deps.js';

interface DescribeStreamInput {
  StreamName?: string;
  StreamARN?: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
}

export const describeStream: KinesisOperation = ({ streams }) => async (input: DescribeStreamInput) => {
  const stream = streams.resolve(input);
  const limit = Math.min(input.Limit ?? kinesisLimits.describeStreamShardsMax, kinesisLimits.describeStreamShardsMax);
  const after = input.ExclusiveStartShardId === undefined ? -1 : parseShardId(input.ExclusiveStartShardId) ?? -1;
  const remaining = stream.shards.filter((shard) => shard.index > after);
  const page = remaining.slice(0, limit);
  return {
    StreamDescription: {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: streamModeDetails(stream),
      Shards: page.map((shard) => shard.describe()),
      HasMoreShards: remaining.length > page.length,
      RetentionPeriodHours: stream.meta.retentionHours,
      StreamCreationTimestamp: new Date(stream.meta.createdAtMs),
      EnhancedMonitoring: enhancedMonitoring(stream),
      ...encryptionFields(stream),
    },
  };
};

import { encryptionFields, enhancedMonitoring, streamModeDetails } from './describe-shapes.js';
import type { KinesisOperation } from './deps.js';

interface DescribeStreamSummaryInput {
  StreamName?: string;
  StreamARN?: string;
}

export const describeStreamSummary: KinesisOperation = ({ streams, controlPlane }) => async (input: DescribeStreamSummaryInput) => {
  const stream = streams.resolve(input);
  const warm = stream.meta.warmThroughputMiBps;
  return {
    StreamDescriptionSummary: {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: streamModeDetails(stream),
      RetentionPeriodHours: stream.meta.retentionHours,
      StreamCreationTimestamp: new Date(stream.meta.createdAtMs),
      EnhancedMonitoring: enhancedMonitoring(stream),
      ...encryptionFields(stream),
      OpenShardCount: stream.openShards.length,
      ConsumerCount: streams.consumerCount(stream),
      ChannelCount: await controlPlane.channels.countForStream(stream.arn, stream.meta.createdAtMs),
      MaxRecordSizeInKiB: stream.meta.maxRecordSizeKiB,
      ...(stream.meta.recordDistributionStrategy !== undefined ? { RecordDistributionStrategy: stream.meta.recordDistributionStrategy } : {}),
      ...(warm !== undefined ? { WarmThroughput: { TargetMiBps: warm, CurrentMiBps: warm } } : {}),
    },
  };
};

/** The operations of issue 3, registered by index.ts beside the core ones. */
import type { KinesisOperation } from './deps.js';
import { createChannel } from './create-channel.js';
import { deleteChannel } from './delete-channel.js';
import { deleteResourcePolicy } from './delete-resource-policy.js';
import { describeChannel } from './describe-channel.js';
import { listChannels } from './list-channels.js';
import { updateChannel } from './update-channel.js';
import { describeAccountSettings } from './describe-account-settings.js';
import { disableEnhancedMonitoring } from './disable-enhanced-monitoring.js';
import { enableEnhancedMonitoring } from './enable-enhanced-monitoring.js';
import { getResourcePolicy } from './get-resource-policy.js';
import { mergeShards } from './merge-shards.js';
import { putResourcePolicy } from './put-resource-policy.js';
import { splitShard } from './split-shard.js';
import { startStreamEncryption } from './start-stream-encryption.js';
import { stopStreamEncryption } from './stop-stream-encryption.js';
import { updateAccountSettings } from './update-account-settings.js';
import { updateShardCount } from './update-shard-count.js';
import { updateStreamRecordDistributionStrategy } from './update-stream-record-distribution-strategy.js';
import { updateStreamWarmThroughput } from './update-stream-warm-throughput.js';

export const CONTROL_PLANE_OPERATIONS: Readonly<Record<string, KinesisOperation>> = {
  CreateChannel: createChannel,
  DeleteChannel: deleteChannel,
  DeleteResourcePolicy: deleteResourcePolicy,
  DescribeChannel: describeChannel,
  ListChannels: listChannels,
  UpdateChannel: updateChannel,
  DescribeAccountSettings: describeAccountSettings,
  DisableEnhancedMonitoring: disableEnhancedMonitoring,
  EnableEnhancedMonitoring: enableEnhancedMonitoring,
  GetResourcePolicy: getResourcePolicy,
  MergeShards: mergeShards,
  PutResourcePolicy: putResourcePolicy,
  SplitShard: splitShard,
  StartStreamEncryption: startStreamEncryption,
  StopStreamEncryption: stopStreamEncryption,
  UpdateAccountSettings: updateAccountSettings,
  UpdateShardCount: updateShardCount,
  UpdateStreamRecordDistributionStrategy: updateStreamRecordDistributionStrategy,
  UpdateStreamWarmThroughput: updateStreamWarmThroughput,
};

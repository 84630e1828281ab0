import type { KinesisOperation } from './deps.js';

export const describeLimits: KinesisOperation = ({ streams, config }) => async () => ({
  ShardLimit: config.shardLimit,
  OpenShardCount: streams.openShardCount(),
  OnDemandStreamCount: streams.onDemandStreamCount(),
  OnDemandStreamCountLimit: config.onDemandStreamCountLimit,
});

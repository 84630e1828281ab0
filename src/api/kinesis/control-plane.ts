/**
 * The services behind the issue-3 operations (resharding, encryption, monitoring, resource
 * policies), built once per server by createKinesisApi and reached by the operations through
 * `KinesisDeps.controlPlane`.
 */
import { ChannelStore } from '../../channels/channel-store.js';
import { ChannelDelivery } from '../../channels/delivery.js';
import type { Clock } from '../../domain/clock.js';
import { KeyRing, createEncryptionCodec } from '../../encryption/index.js';
import type { Limits } from '../../limits/index.js';
import { KinesisMetrics, SHARD_LEVEL_METRICS, type ShardLevelMetric } from '../../metrics/index.js';
import { ResourcePolicies, type ConsumerLookup } from '../../policy/store.js';
import { OnDemandScaler } from '../../resharding/on-demand-scaler.js';
import { Resharder } from '../../resharding/resharder.js';
import type { ServerConfig } from '../../server/config.js';
import type { Logger } from '../../server/logger.js';
import type { MetaStore, Storage } from '../../storage/types.js';
import type { StreamService } from '../../streams/stream-service.js';

export interface ControlPlane {
  readonly resharder: Resharder;
  readonly keyRing: KeyRing;
  readonly metrics: KinesisMetrics;
  readonly policies: ResourcePolicies;
  /** For the small per-stream records of these operations (quotas, settings). */
  readonly meta: MetaStore;
  readonly scaler: OnDemandScaler;
  readonly channels: ChannelStore;
  close(): Promise<void>;
}

export interface ControlPlaneDeps {
  readonly streams: StreamService;
  readonly storage: Storage;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits: Limits;
  /** Registered consumers, so policies on consumer ARNs need an existing consumer. */
  readonly consumers?: ConsumerLookup;
}

export async function createControlPlane(deps: ControlPlaneDeps): Promise<ControlPlane> {
  const { streams, storage, config, clock, log, limits } = deps;
  const keyRing = await KeyRing.open({ dataDir: config.dataDir, inMemory: config.inMemory, region: config.region, accountId: config.accountId });
  streams.setRecordCodec(createEncryptionCodec(keyRing));
  const metrics = new KinesisMetrics();
  limits.onThrottle((kind, streamName, shardId) => {
    if (kind === 'write') metrics.writesThrottled(streamName, shardId, 1);
    else metrics.readsThrottled(streamName, shardId);
  });
  for (const stream of streams.list()) metrics.setShardLevelMetrics(stream.name, asShardLevelMetrics(stream.meta.shardLevelMetrics));
  const resharder = new Resharder({ streams, meta: storage.meta, clock, log: log.child({ component: 'resharding' }) });
  await resharder.recover();
  const policies = await ResourcePolicies.open(storage.meta, streams, deps.consumers);
  const scaler = new OnDemandScaler({ streams, resharder, metrics, clock, log: log.child({ component: 'on-demand-scaling' }) });
  streams.addExtension({
    streamChanged: (stream) => metrics.retainShards(stream.name, new Set(stream.shards.map((shard) => shard.id))),
    afterDelete: async (stream) => {
      metrics.forgetStream(stream.name);
      scaler.forgetStream(stream.name);
      limits.forgetStream(stream.name);
      await resharder.forgetStream(stream.name);
      await policies.forgetStream(stream.name);
    },
  });
  const channels = new ChannelStore(storage.meta, config, clock);
  const channelDelivery = await ChannelDelivery.open({ channels, streams, meta: storage.meta, config, clock, log: log.child({ component: 'channels' }) });
  return {
    resharder,
    keyRing,
    metrics,
    policies,
    meta: storage.meta,
    scaler,
    channels,
    close: async () => {
      await channelDelivery.close();
      await scaler.close();
    },
  };
}

export function asShardLevelMetrics(names: readonly string[]): ShardLevelMetric[] {
  return SHARD_LEVEL_METRICS.filter((metric) => names.includes(metric));
}

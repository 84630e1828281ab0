/**
 * Enhanced fan-out: the consumer registry plus SubscribeToShard.
 *
 * Subscriptions are leased per consumer and shard: a new SubscribeToShard for a pair whose last
 * subscription started less than subscriptionTakeoverAfterMs ago is refused with
 * ResourceInUseException (also when that one has already ended, as AWS holds the lease); a later
 * one takes over, and the running one ends with ResourceInUseException.
 */
import { eventStreamOutput, type EventStreamOutput } from '../api/operation.js';
import type { Clock } from '../domain/clock.js';
import type { ShardView } from '../domain/stream.js';
import { parseShardId } from '../domain/shard-id.js';
import { ResourceNotFoundException } from '../errors/kinesis.js';
import { TokenBucket } from '../limits/token-bucket.js';
import type { ServerConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import type { Storage } from '../storage/types.js';
import { shardIdUnparseable, shardNotFound } from '../streams/messages.js';
import type { StreamService } from '../streams/stream-service.js';
import { ConsumerService, type ConsumerMeta } from './consumer-service.js';
import {
  consumerShardBytesPerSecond,
  heartbeatIntervalMsDefault,
  subscribeCallsPerSecond,
  subscriptionLifetimeMs,
  subscriptionTakeoverAfterMs,
} from './limits.js';
import { consumerNotActive, subscribeRateExceeded, subscriptionInUse } from './messages.js';
import { resolveStartingCounter, type StartingPosition } from './starting-position.js';
import { SharedReads } from './shared-reads.js';
import { Subscription, type PushDelayHistograms } from './subscription.js';

export interface FanoutDeps {
  readonly streams: StreamService;
  readonly storage: Storage;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Where push delays are recorded, when given. */
  readonly pushDelays?: PushDelayHistograms;
  /** Idle heartbeat cadence; `config.fanoutHeartbeatMs` unless given. */
  readonly heartbeatIntervalMs?: number;
  /** Subscription lifetime; AWS's 5 minutes unless a test changes it. */
  readonly subscriptionLifetimeMs?: number;
}

export interface SubscribeInput {
  readonly ConsumerARN: string;
  readonly ShardId: string;
  readonly StartingPosition: StartingPosition;
}

/** Per consumer and shard: the latest subscription and the budgets that outlive it. */
interface Lease {
  current: Subscription | undefined;
  lastStartedAtMs: number;
  readonly throughput: TokenBucket | undefined;
  readonly subscribeCalls: TokenBucket | undefined;
}

export class FanoutService {
  private readonly leases = new Map<string, Lease>();
  private readonly sharedReads: SharedReads;
  /** Running subscriptions per shard log, to drop a shard's shared event with the last one. */
  private readonly subscriptionsPerShard = new Map<string, number>();

  private constructor(private readonly deps: FanoutDeps, readonly consumers: ConsumerService) {
    this.sharedReads = new SharedReads(deps.streams);
    consumers.onGone((consumer) => this.consumerGone(consumer));
    deps.streams.addExtension({ streamChanged: (stream) => this.pokeStream(stream.name) });
  }

  static async open(deps: FanoutDeps): Promise<FanoutService> {
    const consumers = await ConsumerService.open({
      streams: deps.streams,
      meta: deps.storage.meta,
      config: deps.config,
      clock: deps.clock,
      log: deps.log.child({ component: 'consumers' }),
    });
    return new FanoutService(deps, consumers);
  }

  async subscribe(input: SubscribeInput, signal: AbortSignal): Promise<EventStreamOutput> {
    const { streams, clock } = this.deps;
    const consumer = this.consumers.resolveArn(input.ConsumerARN);
    const stream = streams.get(consumer.streamName);
    if (!stream || stream.meta.uid !== consumer.streamUid) throw new ResourceNotFoundException(`Consumer ${consumer.arn} not found.`);
    if (consumer.status !== 'ACTIVE') {
      throw consumerNotActive(consumer.name, Math.floor(consumer.createdAtMs / 1000), stream.name, streams.accountId);
    }
    const shardIndex = parseShardId(input.ShardId);
    if (shardIndex === undefined) throw shardIdUnparseable(input.ShardId, stream.name, streams.accountId);
    const shard = stream.shard(shardIndex);
    if (!shard) throw shardNotFound(shardIndex, stream.name, streams.accountId);

    const key = `${consumer.arn}\n${shard.index}`;
    const lease = this.leaseFor(key);
    if (lease.subscribeCalls && !lease.subscribeCalls.tryTake(1)) throw subscribeRateExceeded(consumer.arn, shard.id);
    const now = clock.now();
    if (now - lease.lastStartedAtMs < subscriptionTakeoverAfterMs) {
      throw subscriptionInUse(streams.accountId, stream.name, shard.id, consumer.name);
    }
    const startCounter = await resolveStartingCounter(input.StartingPosition, { shard, streamName: stream.name, accountId: streams.accountId }, streams, now);
    // Re-check after the await: a concurrent call may have taken the lease meanwhile.
    if (clock.now() - lease.lastStartedAtMs < subscriptionTakeoverAfterMs) {
      throw subscriptionInUse(streams.accountId, stream.name, shard.id, consumer.name);
    }
    const previous = lease.current;
    const subscription = new Subscription(
      {
        streams,
        consumers: this.consumers,
        clock,
        log: this.deps.log,
        heartbeatIntervalMs: this.deps.heartbeatIntervalMs ?? this.deps.config.fanoutHeartbeatMs ?? heartbeatIntervalMsDefault,
        lifetimeMs: this.deps.subscriptionLifetimeMs ?? subscriptionLifetimeMs,
        sharedReads: this.sharedReads,
        ...(this.deps.pushDelays ? { pushDelays: this.deps.pushDelays } : {}),
      },
      { consumer, stream, shard, startCounter, throughput: lease.throughput },
      signal,
      (finished) => {
        if (lease.current === finished) lease.current = undefined;
        this.countShardSubscription(shard, -1);
      },
    );
    this.countShardSubscription(shard, 1);
    lease.current = subscription;
    lease.lastStartedAtMs = subscription.startedAtMs;
    if (previous && !previous.isFinished) previous.endWith(subscriptionInUse(streams.accountId, stream.name, shard.id, consumer.name));
    this.deps.log.debug('subscription started', { consumer: consumer.name, stream: stream.name, shard: shard.id, startCounter });
    return eventStreamOutput({}, subscription.events());
  }

  /** Wakes the running subscriptions of a stream whose document changed (a shard sealed by a
   * reshard, the stream deleted): they re-read the shard map. */
  private pokeStream(streamName: string): void {
    for (const lease of this.leases.values()) {
      if (lease.current?.streamName === streamName) lease.current.poke();
    }
  }

  async close(): Promise<void> {
    await this.consumers.close();
  }

  private countShardSubscription(shard: ShardView, change: 1 | -1): void {
    const count = (this.subscriptionsPerShard.get(shard.logId) ?? 0) + change;
    if (count > 0) {
      this.subscriptionsPerShard.set(shard.logId, count);
      if (count === 1) this.sharedReads.watch(shard);
    } else {
      this.subscriptionsPerShard.delete(shard.logId);
      this.sharedReads.forget(shard);
    }
  }

  private leaseFor(key: string): Lease {
    let lease = this.leases.get(key);
    if (!lease) {
      const limited = this.deps.config.limits === 'aws';
      const { clock } = this.deps;
      lease = {
        current: undefined,
        lastStartedAtMs: -Infinity,
        throughput: limited ? new TokenBucket(consumerShardBytesPerSecond, consumerShardBytesPerSecond, clock) : undefined,
        subscribeCalls: limited ? new TokenBucket(subscribeCallsPerSecond, subscribeCallsPerSecond, clock) : undefined,
      };
      this.leases.set(key, lease);
    }
    return lease;
  }

  private consumerGone(consumer: ConsumerMeta): void {
    const prefix = `${consumer.arn}\n`;
    for (const [key, lease] of this.leases) {
      if (!key.startsWith(prefix)) continue;
      lease.current?.poke();
      this.leases.delete(key);
    }
  }
}

/**
 * Registered stream consumers (enhanced fan-out), persisted in the MetaStore under
 * `kinesis/consumer/<stream name>/<consumer name>`, one document each.
 *
 * - Lifecycle: CREATING → ACTIVE after `config.createStreamMs`, DELETING → gone after
 *   `config.deleteStreamMs` (the stream delays; AWS takes seconds for both). A restart finishes
 *   pending transitions, like streams do.
 * - A consumer belongs to one stream incarnation (`streamUid`): when the stream is deleted its
 *   consumers go with it, and documents left behind by a crash are dropped on load.
 * - Limits: 20 consumers per stream, at most 5 of them CREATING.
 */
import type { Clock } from '../domain/clock.js';
import type { StreamView } from '../domain/stream.js';
import type { ServerConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import type { MetaStore } from '../storage/types.js';
import type { StreamExtension, StreamService, TaggableResource } from '../streams/stream-service.js';
import { streamNotActive } from '../streams/messages.js';
import { consumerArn, parseConsumerArn } from './consumer-arn.js';
import {
  consumerAlreadyExists,
  consumerArnNotFound,
  consumerIdentifierMissing,
  consumerLimitExceeded,
  consumerNotFound,
  consumersCreatingLimitExceeded,
  streamHasConsumers,
} from './messages.js';

export const CONSUMER_KEY_PREFIX = 'kinesis/consumer/';
export const CONSUMERS_PER_STREAM_MAX = 20;
export const CONSUMERS_CREATING_PER_STREAM_MAX = 5;

export type ConsumerStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface ConsumerMeta {
  readonly name: string;
  readonly streamName: string;
  readonly streamUid: string;
  readonly arn: string;
  readonly status: ConsumerStatus;
  readonly createdAtMs: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ConsumerIdentifier {
  readonly StreamARN?: string | undefined;
  readonly ConsumerName?: string | undefined;
  readonly ConsumerARN?: string | undefined;
}

export interface ConsumerServiceDeps {
  readonly streams: StreamService;
  readonly meta: MetaStore;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ConsumerService implements StreamExtension {
  /** By stream name, then consumer name. */
  private readonly byStream = new Map<string, Map<string, ConsumerMeta>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly goneListeners = new Set<(consumer: ConsumerMeta) => void>();
  private closed = false;

  private constructor(private readonly deps: ConsumerServiceDeps) {}

  static async open(deps: ConsumerServiceDeps): Promise<ConsumerService> {
    const service = new ConsumerService(deps);
    deps.streams.addExtension(service);
    await service.load();
    return service;
  }

  private get accountId(): string { return this.deps.streams.accountId; }

  private async load(): Promise<void> {
    for (const entry of await this.deps.meta.list<ConsumerMeta>(CONSUMER_KEY_PREFIX)) {
      const consumer = entry.value;
      const stream = this.deps.streams.get(consumer.streamName);
      if (!stream || stream.meta.uid !== consumer.streamUid || consumer.status === 'DELETING') {
        await this.deps.meta.commit([{ op: 'delete', key: entry.key }]);
        continue;
      }
      const loaded = consumer.status === 'CREATING' ? { ...consumer, status: 'ACTIVE' as const } : consumer;
      if (loaded !== consumer) await this.deps.meta.commit([{ op: 'put', key: entry.key, value: loaded }]);
      this.remember(loaded);
    }
  }

  /** Calls `listener` when a consumer starts DELETING or disappears with its stream. */
  onGone(listener: (consumer: ConsumerMeta) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  async register(streamArn: string, consumerName: string, tags: Readonly<Record<string, string>> | undefined): Promise<ConsumerMeta> {
    const stream = this.deps.streams.resolve({ StreamARN: streamArn });
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') throw streamNotActive(stream.name, this.accountId, stream.status);
    const consumers = this.consumersOf(stream.name);
    if (consumers.has(consumerName)) throw consumerAlreadyExists(consumerName, stream.name, this.accountId);
    if (consumers.size >= CONSUMERS_PER_STREAM_MAX) throw consumerLimitExceeded(stream.name, this.accountId, CONSUMERS_PER_STREAM_MAX);
    const creating = [...consumers.values()].filter((consumer) => consumer.status === 'CREATING').length;
    if (creating >= CONSUMERS_CREATING_PER_STREAM_MAX) throw consumersCreatingLimitExceeded(stream.name, this.accountId, CONSUMERS_CREATING_PER_STREAM_MAX);
    const now = this.deps.clock.now();
    const delayMs = this.deps.config.createStreamMs;
    const consumer: ConsumerMeta = {
      name: consumerName,
      streamName: stream.name,
      streamUid: stream.meta.uid,
      arn: consumerArn(stream.arn, consumerName, now),
      status: delayMs > 0 ? 'CREATING' : 'ACTIVE',
      createdAtMs: now,
      tags: { ...tags },
    };
    this.remember(consumer);
    try {
      await this.deps.meta.commit([{ op: 'put', key: consumerKey(stream.name, consumerName), value: consumer, expectVersion: 0 }]);
    } catch (err) {
      this.forget(consumer);
      throw err;
    }
    this.deps.log.info('consumer registered', { stream: stream.name, consumer: consumerName });
    if (delayMs > 0) this.later(delayMs, () => this.transition(consumer, 'ACTIVE'));
    return consumer;
  }

  async deregister(identifier: ConsumerIdentifier): Promise<void> {
    const consumer = this.resolve(identifier);
    if (consumer.status === 'DELETING') return;
    const deleting = await this.transition(consumer, 'DELETING');
    if (!deleting) return;
    this.notifyGone(deleting);
    const delayMs = this.deps.config.deleteStreamMs;
    if (delayMs > 0) this.later(delayMs, () => this.remove(deleting));
    else await this.remove(deleting);
  }

  /** The consumer named by ConsumerARN, or by StreamARN + ConsumerName. */
  resolve(identifier: ConsumerIdentifier): ConsumerMeta {
    const { ConsumerARN: arn, StreamARN: streamArn, ConsumerName: name } = identifier;
    if (arn !== undefined) return this.resolveArn(arn);
    if (streamArn === undefined || name === undefined) throw consumerIdentifierMissing();
    const stream = this.deps.streams.resolve({ StreamARN: streamArn });
    const consumer = this.consumersOf(stream.name).get(name);
    if (!consumer) throw consumerNotFound(name, stream.name, this.accountId);
    return consumer;
  }

  resolveArn(arn: string): ConsumerMeta {
    const parsed = parseConsumerArn(arn);
    const consumer = parsed && parsed.accountId === this.accountId ? this.consumersOf(parsed.streamName).get(parsed.consumerName) : undefined;
    if (!consumer || consumer.arn !== arn) throw consumerArnNotFound(arn);
    return consumer;
  }

  /** The live record of a consumer (undefined once it is gone or replaced by a new registration). */
  current(consumer: ConsumerMeta): ConsumerMeta | undefined {
    const latest = this.consumersOf(consumer.streamName).get(consumer.name);
    return latest?.arn === consumer.arn ? latest : undefined;
  }

  /** Consumers of a stream ordered by creation (then name), as ListStreamConsumers pages them. */
  list(stream: StreamView): ConsumerMeta[] {
    return [...this.consumersOf(stream.name).values()]
      .filter((consumer) => consumer.streamUid === stream.meta.uid)
      .sort((a, b) => a.createdAtMs - b.createdAtMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  consumerCount(stream: StreamView): number {
    return this.list(stream).length;
  }

  /** Consumer ARNs take tags through TagResource, UntagResource and ListTagsForResource. */
  taggableResource(arn: string): TaggableResource | undefined {
    let consumer: ConsumerMeta;
    try {
      consumer = this.resolveArn(arn);
    } catch {
      return undefined;
    }
    return {
      tags: () => this.current(consumer)?.tags ?? {},
      addTags: (tags) => this.updateTags(consumer, (current) => ({ ...current, ...tags })),
      removeTags: (keys) => this.updateTags(consumer, (current) => {
        const next = { ...current };
        for (const key of keys) delete next[key];
        return next;
      }),
    };
  }

  beforeDelete(stream: StreamView, enforceConsumerDeletion: boolean): void {
    if (!enforceConsumerDeletion && this.list(stream).length > 0) throw streamHasConsumers(stream.name, this.accountId);
  }

  async afterDelete(stream: StreamView): Promise<void> {
    const consumers = this.list(stream);
    for (const consumer of consumers) {
      this.forget(consumer);
      this.notifyGone(consumer);
    }
    if (consumers.length > 0) {
      await this.deps.meta.commit(consumers.map((consumer) => ({ op: 'delete' as const, key: consumerKey(consumer.streamName, consumer.name) })));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private consumersOf(streamName: string): Map<string, ConsumerMeta> {
    return this.byStream.get(streamName) ?? new Map();
  }

  private remember(consumer: ConsumerMeta): void {
    let consumers = this.byStream.get(consumer.streamName);
    if (!consumers) {
      consumers = new Map();
      this.byStream.set(consumer.streamName, consumers);
    }
    consumers.set(consumer.name, consumer);
  }

  private forget(consumer: ConsumerMeta): void {
    const consumers = this.byStream.get(consumer.streamName);
    if (consumers?.get(consumer.name)?.arn !== consumer.arn) return;
    consumers.delete(consumer.name);
    if (consumers.size === 0) this.byStream.delete(consumer.streamName);
  }

  /** Moves a still-current consumer to `status`; undefined when it has gone meanwhile. */
  private async transition(consumer: ConsumerMeta, status: ConsumerStatus): Promise<ConsumerMeta | undefined> {
    const latest = this.current(consumer);
    if (!latest || latest.status === status) return undefined;
    const next = { ...latest, status };
    await this.deps.meta.commit([{ op: 'put', key: consumerKey(next.streamName, next.name), value: next }]);
    if (!this.current(consumer)) return undefined;
    this.remember(next);
    return next;
  }

  private async updateTags(consumer: ConsumerMeta, change: (tags: Readonly<Record<string, string>>) => Record<string, string>): Promise<void> {
    const latest = this.current(consumer);
    if (!latest) throw consumerArnNotFound(consumer.arn);
    const next = { ...latest, tags: change(latest.tags) };
    await this.deps.meta.commit([{ op: 'put', key: consumerKey(next.streamName, next.name), value: next }]);
    if (this.current(consumer)) this.remember(next);
  }

  private async remove(consumer: ConsumerMeta): Promise<void> {
    if (!this.current(consumer)) return;
    this.forget(consumer);
    await this.deps.meta.commit([{ op: 'delete', key: consumerKey(consumer.streamName, consumer.name) }]);
    this.deps.log.info('consumer deregistered', { stream: consumer.streamName, consumer: consumer.name });
  }

  private notifyGone(consumer: ConsumerMeta): void {
    for (const listener of [...this.goneListeners]) listener(consumer);
  }

  private later(delayMs: number, task: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      task().catch((err) => this.deps.log.error('consumer state transition failed', { error: String(err) }));
    }, delayMs);
    this.timers.add(timer);
  }
}

function consumerKey(streamName: string, consumerName: string): string {
  return `${CONSUMER_KEY_PREFIX}${streamName}/${consumerName}`;
}

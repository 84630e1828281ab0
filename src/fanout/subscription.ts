/**
 * One SubscribeToShard subscription: an async generator of SubscribeToShardEvent messages that
 * the transport pulls (see wire/event-stream/respond.ts).
 *
 * Reads happen only when the transport asks for the next event, in chunks of at most
 * eventRecordsMax/eventBytesMax, so a slow client slows the reads instead of filling memory.
 * When caught up the generator sleeps until RecordLog.onAppend fires for its shard (no polling),
 * a heartbeat is due, the stream map changes, or the subscription is ended from outside.
 *
 * Ends: cleanly after subscriptionLifetimeMs (on the injected clock) or at the end of a closed
 * shard once a reshard has sealed it (last event has ChildShards and no ContinuationSequenceNumber); with an exception event
 * when another subscription takes over (ResourceInUseException) or the consumer or stream goes
 * away (ResourceNotFoundException).
 */
import type { EventStreamMessage } from '../api/operation.js';
import type { Clock } from '../domain/clock.js';
import { sequenceNumberFromBase } from '../domain/sequence-number.js';
import type { ShardView, StreamView } from '../domain/stream.js';
import type { AwsError } from '../errors/aws-error.js';
import type { TokenBucket } from '../limits/token-bucket.js';
import type { HistogramChild } from '../metrics/registry.js';
import type { AppendTiming } from '../streams/stream-service.js';
import { LogNotFoundError } from '../storage/types.js';
import type { Logger } from '../server/logger.js';
import type { StreamService } from '../streams/stream-service.js';
import { shardNotFound, streamNotFound } from '../streams/messages.js';
import type { ConsumerMeta, ConsumerService } from './consumer-service.js';
import { consumerArnNotFound } from './messages.js';
import { childShards } from './records.js';
import { SUBSCRIBE_TO_SHARD_EVENT, type SharedReads } from './shared-reads.js';
import { beforeFirstRecord, shardEndCounter } from './starting-position.js';
import { Wakeup } from './wakeup.js';

export interface SubscriptionDeps {
  readonly streams: StreamService;
  readonly consumers: ConsumerService;
  readonly clock: Clock;
  readonly log: Logger;
  readonly heartbeatIntervalMs: number;
  readonly lifetimeMs: number;
  readonly sharedReads: SharedReads;
  /** Where push delays are recorded, when given. */
  readonly pushDelays?: PushDelayHistograms;
}

export interface SubscriptionTarget {
  readonly consumer: ConsumerMeta;
  readonly stream: StreamView;
  readonly shard: ShardView;
  readonly startCounter: number;
  /** Per consumer and shard push budget; undefined when limits are off. */
  readonly throughput: TokenBucket | undefined;
}

export class Subscription {
  readonly startedAtMs: number;
  private readonly wakeup = new Wakeup();
  private endedBy: AwsError | undefined;
  private finished = false;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly target: SubscriptionTarget,
    private readonly signal: AbortSignal,
    private readonly onFinish: (subscription: Subscription) => void,
  ) {
    this.startedAtMs = deps.clock.now();
  }

  get consumerArn(): string { return this.target.consumer.arn; }
  get streamName(): string { return this.target.stream.name; }
  get isFinished(): boolean { return this.finished; }

  /** Ends the subscription with `error` as its last message. */
  endWith(error: AwsError): void {
    this.endedBy ??= error;
    this.wakeup.notify();
  }

  /** Something it may be waiting for changed (stream map, consumer state). */
  poke(): void {
    this.wakeup.notify();
  }

  /** The messages of this subscription. Closing the iterator before its first `next()` still
   * releases the subscription (a generator that never started would skip its `finally`). */
  events(): AsyncIterable<EventStreamMessage> {
    return {
      [Symbol.asyncIterator]: () => {
        const generator = this.run();
        return {
          next: () => generator.next(),
          return: async () => {
            const result = await generator.return(undefined);
            this.finish('client-gone');
            return result;
          },
        };
      },
    };
  }

  private finish(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish(this);
    const { consumer, stream, shard } = this.target;
    this.deps.log.debug('subscription ended', { consumer: consumer.name, stream: stream.name, shard: shard.id, reason });
  }

  private async *run(): AsyncGenerator<EventStreamMessage> {
    const { deps, target } = this;
    const { shard: initialShard } = target;
    const expiresAtMs = this.startedAtMs + deps.lifetimeMs;
    const wake = () => this.wakeup.notify();
    const stopListening = deps.streams.onAppend(initialShard, wake);
    this.signal.addEventListener('abort', wake);
    let cursor = target.startCounter;
    let lastEventAtMs: number | undefined;
    /** Why the generator stopped, for the log; 'client-gone' when the transport stopped pulling. */
    let endReason = 'client-gone';
    try {
      let lastSequenceNumber = await this.sequenceNumberBefore(cursor);
      for (;;) {
        if (this.endedBy) {
          endReason = this.endedBy.type;
          yield { kind: 'exception', error: this.endedBy };
          return;
        }
        if (this.signal.aborted) return;
        const now = deps.clock.now();
        if (now >= expiresAtMs) {
          endReason = 'expired';
          return;
        }
        const located = this.locate();
        if ('error' in located) {
          endReason = located.error.type;
          yield { kind: 'exception', error: located.error };
          return;
        }
        const { stream, shard } = located;
        const bounds = await deps.streams.bounds(shard);
        const end = shardEndCounter(shard, bounds);
        if (cursor < bounds.trimHorizon) cursor = Math.min(bounds.trimHorizon, end);

        if (cursor < end) {
          if (target.throughput) {
            await this.awaitThroughputBudget(target.throughput);
            if (this.endedBy || this.signal.aborted) continue;
          }
          const shared = await deps.sharedReads.eventAt(stream, shard, cursor, end, bounds, lastSequenceNumber);
          cursor = shared.nextCursor;
          if (shared.lastSequenceNumber !== undefined) lastSequenceNumber = shared.lastSequenceNumber;
          if (shared.bytes > 0) target.throughput?.force(shared.bytes);
          lastEventAtMs = deps.clock.now();
          if (shared.shardEnded) endReason = 'shard-end';
          yield shared.message;
          // The transport pulls the next message once this one was handed to the connection.
          if (shared.firstTiming && deps.pushDelays) observePushDelay(deps.pushDelays, shared.firstTiming);
          if (shared.shardEnded) return;
          continue;
        }
        if (isSealed(shard)) {
          endReason = 'shard-end';
          yield emptyEvent(undefined, childShards(stream, shard));
          return;
        }
        if (lastEventAtMs === undefined || now - lastEventAtMs >= deps.heartbeatIntervalMs) {
          lastEventAtMs = now;
          yield emptyEvent(lastSequenceNumber, undefined);
          continue;
        }
        await this.wakeup.wait(Math.min(deps.heartbeatIntervalMs - (now - lastEventAtMs), expiresAtMs - now));
      }
    } catch (err) {
      // The stream was deleted between the shard lookup and a read: its logs are gone.
      if (!(err instanceof LogNotFoundError)) throw err;
      endReason = 'ResourceNotFoundException';
      yield { kind: 'exception', error: streamNotFound(target.stream.name, deps.streams.accountId) };
    } finally {
      stopListening();
      this.signal.removeEventListener('abort', wake);
      this.finish(endReason);
    }
  }

  /** The current views of the stream and shard, or why the subscription cannot go on. */
  private locate(): { stream: StreamView; shard: ShardView } | { error: AwsError } {
    const { consumer, stream: original, shard: originalShard } = this.target;
    const { streams, consumers } = this.deps;
    const current = consumers.current(consumer);
    if (!current || current.status !== 'ACTIVE') return { error: consumerArnNotFound(consumer.arn) };
    const stream = streams.get(original.name);
    if (!stream || stream.meta.uid !== original.meta.uid || stream.status === 'DELETING') return { error: streamNotFound(original.name, streams.accountId) };
    const shard = stream.shard(originalShard.index);
    if (!shard) return { error: shardNotFound(originalShard.index, stream.name, streams.accountId) };
    return { stream, shard };
  }

  /** The sequence number a client resumes AFTER to get the record at `counter` next. */
  private async sequenceNumberBefore(counter: number): Promise<string> {
    const { shard } = this.target;
    if (counter === 0) return beforeFirstRecord(shard);
    const previous = await this.deps.streams.read(shard, counter - 1, { maxRecords: 1, maxBytes: 1 }).catch(() => undefined);
    const record = previous?.records[0];
    const arrivalMs = record && record.counter === counter - 1 ? record.arrivalMs : shard.meta.createdAtMs;
    return sequenceNumberFromBase(shard.sequenceBase, counter - 1, arrivalMs);
  }

  /** With `--limits aws`, waits until the consumer's per-shard budget is out of debt. */
  private async awaitThroughputBudget(bucket: TokenBucket): Promise<void> {
    for (;;) {
      const level = bucket.available();
      if (level > 0 || this.endedBy || this.signal.aborted) return;
      await this.wakeup.wait(Math.ceil(((1 - level) * 1000) / bucket.refillPerSecond));
    }
  }
}

export interface PushDelayHistograms {
  /** Append handed to storage → event handed to the connection: the server's whole put → push. */
  readonly fromAppend: HistogramChild;
  /** Append acknowledged → event handed to the connection: fan-out's own share. */
  readonly fromAcknowledgement: HistogramChild;
}

function observePushDelay(histograms: PushDelayHistograms, timing: AppendTiming): void {
  const now = performance.now();
  histograms.fromAppend.observe((now - timing.startedAt) / 1000);
  histograms.fromAcknowledgement.observe((now - timing.acknowledgedAt) / 1000);
}

/** A closed shard whose last counter is known; until then (a reshard in progress) its last
 * records may still be landing and it is read like an open shard. */
function isSealed(shard: ShardView): boolean {
  return shard.meta.endCounter !== undefined;
}

/** An event without records: a heartbeat (with the continuation) or a sealed shard's end (with
 * its children). */
function emptyEvent(continuation: string | undefined, children: unknown[] | undefined): EventStreamMessage {
  return {
    kind: 'event',
    eventType: SUBSCRIBE_TO_SHARD_EVENT,
    payload: {
      Records: [],
      ...(continuation !== undefined ? { ContinuationSequenceNumber: continuation } : {}),
      MillisBehindLatest: 0,
      ...(children !== undefined ? { ChildShards: children } : {}),
    },
  };
}

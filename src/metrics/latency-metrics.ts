/**
 * Where the server's own time goes, as Prometheus histograms: how long requests take from their
 * arrival to the reply, how long appends take to become durable, and how long an acknowledged
 * record waits before its SubscribeToShardEvent is handed to a subscriber's connection. Together
 * they separate what the server spends from what clients and the machine add to end-to-end
 * latency.
 */
import { MetricRegistry, type HistogramChild, type HistogramFamily } from './registry.js';

/** Seconds: fine below 10 ms, where a loopback server's figures are, coarse above. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075,
  0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export class LatencyMetrics {
  readonly registry = new MetricRegistry();
  private readonly requests: HistogramFamily;
  private readonly requestsByOperation = new Map<string, HistogramChild>();
  /** StreamService.append called → acknowledged by storage (durable per the fsync policy). */
  readonly append: HistogramChild;
  /** Append handed to storage → the event holding its first record handed to one subscriber's
   * connection; one observation per subscriber and event served from recent appends. */
  readonly appendToPush: HistogramChild;
  /** The same from the append's acknowledgement: what fan-out itself adds. */
  readonly fanoutPush: HistogramChild;

  constructor() {
    this.requests = this.registry.histogram(
      'runnel_request_duration_seconds',
      'Request arrival (headers parsed) to its reply handed to the connection, per operation; event-stream operations are not included',
      LATENCY_BUCKETS_SECONDS,
      ['operation'],
    );
    this.append = this.registry.histogram(
      'runnel_append_duration_seconds',
      'Append to a shard\'s log until storage acknowledged it (durable per the --fsync policy)',
      LATENCY_BUCKETS_SECONDS,
    ).labels();
    this.appendToPush = this.registry.histogram(
      'runnel_fanout_append_to_push_seconds',
      'Append handed to storage until the SubscribeToShardEvent holding its first record was handed to a subscriber\'s connection, per subscriber: the server\'s part of put to push',
      LATENCY_BUCKETS_SECONDS,
    ).labels();
    this.fanoutPush = this.registry.histogram(
      'runnel_fanout_push_delay_seconds',
      'Append acknowledged until the SubscribeToShardEvent holding its first record was handed to a subscriber\'s connection, per subscriber',
      LATENCY_BUCKETS_SECONDS,
    ).labels();
  }

  request(operation: string): HistogramChild {
    let child = this.requestsByOperation.get(operation);
    if (child === undefined) {
      child = this.requests.labels(operation);
      this.requestsByOperation.set(operation, child);
    }
    return child;
  }
}

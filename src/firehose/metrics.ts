/**
 * Per delivery stream counters, exported in the Prometheus text format by `firehoseMetricsText()`
 * (the server's `/metrics` route appends it) and shown by DescribeDeliveryStream's Runnel extension
 * and `runnel firehose status`.
 *
 * The registry is process-wide so the `/metrics` route needs no handle on the Firehose service;
 * each delivery stream registers its counters while its service runs and removes them on close.
 */
export interface DeliveryStreamCounters {
  incomingRecords: number;
  incomingBytes: number;
  deliveredRecords: number;
  deliveredBytes: number;
  deliveredObjects: number;
  deliveryFailures: number;
  /** Records handed to the error output or S3 backup after their retries ran out. */
  failedRecords: number;
  /** Arrival time of the oldest record not yet delivered; undefined when nothing waits. */
  oldestPendingArrivalMs: number | undefined;
  lastDeliveryMs: number | undefined;
  lastError: { message: string; atMs: number } | undefined;
}

export function newCounters(): DeliveryStreamCounters {
  return {
    incomingRecords: 0,
    incomingBytes: 0,
    deliveredRecords: 0,
    deliveredBytes: 0,
    deliveredObjects: 0,
    deliveryFailures: 0,
    failedRecords: 0,
    oldestPendingArrivalMs: undefined,
    lastDeliveryMs: undefined,
    lastError: undefined,
  };
}

interface Registered {
  readonly counters: DeliveryStreamCounters;
  readonly now: () => number;
}

const registry = new Map<string, Registered>();

export function registerCounters(deliveryStreamName: string, counters: DeliveryStreamCounters, now: () => number): () => void {
  const entry = { counters, now };
  registry.set(deliveryStreamName, entry);
  return () => {
    if (registry.get(deliveryStreamName) === entry) registry.delete(deliveryStreamName);
  };
}

/** Seconds between now and the arrival of the oldest undelivered record (0 when none waits),
 * the equivalent of AWS's DeliveryToS3.DataFreshness. */
export function dataFreshnessSeconds(counters: DeliveryStreamCounters, nowMs: number): number {
  return counters.oldestPendingArrivalMs === undefined ? 0 : Math.max(0, (nowMs - counters.oldestPendingArrivalMs) / 1000);
}

const METRICS: ReadonlyArray<{ name: string; type: 'counter' | 'gauge'; help: string; value: (c: DeliveryStreamCounters, now: number) => number }> = [
  { name: 'runnel_firehose_incoming_records_total', type: 'counter', help: 'Records accepted by PutRecord/PutRecordBatch or read from the source stream.', value: (c) => c.incomingRecords },
  { name: 'runnel_firehose_incoming_bytes_total', type: 'counter', help: 'Bytes of record data accepted.', value: (c) => c.incomingBytes },
  { name: 'runnel_firehose_delivered_records_total', type: 'counter', help: 'Records delivered to the destination.', value: (c) => c.deliveredRecords },
  { name: 'runnel_firehose_delivered_bytes_total', type: 'counter', help: 'Bytes of record data delivered to the destination (before compression).', value: (c) => c.deliveredBytes },
  { name: 'runnel_firehose_delivered_objects_total', type: 'counter', help: 'Objects or HTTP requests delivered.', value: (c) => c.deliveredObjects },
  { name: 'runnel_firehose_delivery_failures_total', type: 'counter', help: 'Failed delivery attempts (each retry counts).', value: (c) => c.deliveryFailures },
  { name: 'runnel_firehose_failed_records_total', type: 'counter', help: 'Records sent to the error output or S3 backup after retries ran out.', value: (c) => c.failedRecords },
  { name: 'runnel_firehose_data_freshness_seconds', type: 'gauge', help: 'Age of the oldest record not yet delivered.', value: (c, now) => dataFreshnessSeconds(c, now) },
];

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function firehoseMetricsText(): string {
  const lines: string[] = [];
  const entries = [...registry.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const metric of METRICS) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const [name, { counters, now }] of entries) {
      lines.push(`${metric.name}{delivery_stream="${escapeLabel(name)}"} ${metric.value(counters, now())}`);
    }
  }
  return lines.join('\n') + '\n';
}

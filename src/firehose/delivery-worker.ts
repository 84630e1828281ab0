/**
 * The delivery loop of one delivery stream.
 *
 * Records read from the source wait in `pending` (in memory; the durable copy is the source).
 * A batch is cut and delivered as soon as one limit is reached, whichever comes first:
 * - the batch holds SizeInMBs of data;
 * - the oldest pending record has waited IntervalInSeconds (0 = at once);
 * - `firehoseFlushRecords` records wait (Runnel-only switch for test loops; 0 = off);
 * - an HTTP endpoint batch holds 10,000 records (the request limit).
 * Batches are delivered one at a time, in order; only after a batch is delivered (or, once its
 * retries ran out, handed to the error output) is it committed to the source. A crash before the
 * commit delivers the batch again after restart: at-least-once, as AWS.
 *
 * Retries back off from 1 s, doubling with ±15 % jitter up to 120 s. S3 writes are retried for
 * 24 h (then the batch is dropped and counted as failed); HTTP endpoint requests for the
 * destination's RetryOptions.DurationInSeconds, then the batch goes to the S3 backup bucket as
 * error records. A 413 from an endpoint is permanent: no retry and no backup, as AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import { compress, contentEncodingFor, extensionFor } from './compression.js';
import { appendsDelimiter, bucketNameFromArn, type PlainS3Settings, type S3Settings, type StoredDestination } from './destination.js';
import { HTTP_RECORDS_PER_REQUEST_MAX, sendToHttpEndpoint } from './http-endpoint.js';
import type { DeliveryStreamCounters } from './metrics.js';
import { evaluateErrorPrefix, evaluatePrefix, objectSuffix, parsePrefix, parseTimeZone, type ErrorOutputType } from './object-key.js';
import type { ObjectStore } from './object-store/types.js';
import type { RecordSource, SourceRecord } from './source.js';

export interface DeliveryTarget {
  readonly name: string;
  readonly arn: string;
  readonly versionId: number;
  readonly destination: StoredDestination;
  /** The key of a data object, replacing Firehose's `<prefix><suffix>` (Kinesis stream channels
   * name objects by their own template). */
  readonly objectKey?: (instantMs: number, extension: string) => string;
}

export interface DeliveryWorkerOptions {
  /** The delivery stream as currently configured; read again for every batch, so an
   * UpdateDestination applies from the next batch on. */
  readonly target: () => DeliveryTarget;
  readonly source: RecordSource;
  readonly objectStore: ObjectStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly flushRecords: number;
  readonly counters: DeliveryStreamCounters;
  /** Count what the source hands out as incoming (a Kinesis stream source: nothing else sees
   * those records arrive; DirectPut counts at PutRecord time). */
  readonly countsIncoming?: boolean;
  readonly random?: () => number;
}

const MIB = 1024 * 1024;
export const RETRY_BASE_MS = 1000;
export const RETRY_MAX_MS = 120_000;
export const RETRY_JITTER = 0.15;
export const S3_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const NEWLINE = Buffer.from('\n');

class WorkerStopped extends Error {}

/** A FIFO of records with their byte total; dropping from the front is O(1) amortised. */
class PendingRecords {
  private items: SourceRecord[] = [];
  private head = 0;
  bytes = 0;

  get count(): number {
    return this.items.length - this.head;
  }

  push(record: SourceRecord): void {
    this.items.push(record);
    this.bytes += record.data.byteLength;
  }

  oldest(): SourceRecord | undefined {
    return this.items[this.head];
  }

  at(index: number): SourceRecord {
    return this.items[this.head + index]!;
  }

  first(count: number): SourceRecord[] {
    return this.items.slice(this.head, this.head + count);
  }

  drop(count: number): void {
    for (let i = 0; i < count; i++) this.bytes -= this.items[this.head + i]!.data.byteLength;
    this.head += count;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** The wait before retry number `attempt` (1-based): 1 s doubling per retry, ±15 % jitter, never
 * more than 2 minutes (AWS's HTTP endpoint back-off; S3 writes use the same). */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = RETRY_BASE_MS * 2 ** Math.min(Math.max(0, attempt - 1), 30);
  return Math.min(RETRY_MAX_MS, Math.round(base * (1 + RETRY_JITTER * (2 * random() - 1))));
}

export class DeliveryWorker {
  private readonly pending = new PendingRecords();
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly stopController = new AbortController();
  private readonly random: () => number;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.random = options.random ?? Math.random;
  }

  async start(): Promise<void> {
    await this.options.source.start(() => this.kick());
  }

  /** Stops reading and delivering; a batch in flight is abandoned uncommitted (delivered again
   * after restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    if (this.timer) clearTimeout(this.timer);
    this.options.source.stop();
    await this.running?.catch(() => undefined);
  }

  /** Wakes the loop: reads what the source has and delivers every batch that is due. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.pump()
      .catch((err) => {
        if (err instanceof WorkerStopped) return;
        // Reading the source or saving the checkpoint failed: try again later; whatever was
        // pending stays pending (and may be delivered twice, which at-least-once allows).
        this.recordFailure(`delivery loop failed: ${(err as Error).message}`, {});
        this.timer = setTimeout(() => this.kick(), RETRY_BASE_MS);
        this.timer.unref();
      })
      .finally(() => {
        this.running = undefined;
        if (this.rerun) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const chunk = await this.options.source.readNew();
      this.throwIfStopped();
      for (const record of chunk) this.pending.push(record);
      if (this.options.countsIncoming) this.countIncoming(chunk);
      this.updatePendingGauge();
      while (this.flushDue()) await this.flushOne();
      if (chunk.length === 0) break;
    }
    this.scheduleIntervalFlush();
  }

  private countIncoming(chunk: readonly SourceRecord[]): void {
    const counters = this.options.counters;
    counters.incomingRecords += chunk.length;
    for (const record of chunk) counters.incomingBytes += record.data.byteLength;
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new WorkerStopped();
  }

  private updatePendingGauge(): void {
    this.options.counters.oldestPendingArrivalMs = this.pending.oldest()?.arrivalMs;
  }

  private hints(): { sizeBytes: number; intervalMs: number; maxRecords: number } {
    const { destination } = this.options.target();
    const hints = destination.settings.BufferingHints;
    const flushRecords = this.options.flushRecords;
    const requestLimit = destination.kind === 'HttpEndpoint' ? HTTP_RECORDS_PER_REQUEST_MAX : Infinity;
    return {
      sizeBytes: hints.SizeInMBs * MIB,
      intervalMs: hints.IntervalInSeconds * 1000,
      maxRecords: flushRecords > 0 ? Math.min(flushRecords, requestLimit) : requestLimit,
    };
  }

  private flushDue(): boolean {
    const oldest = this.pending.oldest();
    if (!oldest) return false;
    const hints = this.hints();
    return this.pending.count >= hints.maxRecords
      || this.pending.bytes >= hints.sizeBytes
      || this.options.clock.now() >= oldest.arrivalMs + hints.intervalMs;
  }

  private scheduleIntervalFlush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const oldest = this.pending.oldest();
    if (!oldest || this.stopped) return;
    const delay = Math.max(0, oldest.arrivalMs + this.hints().intervalMs - this.options.clock.now());
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }

  private cutBatch(): SourceRecord[] {
    const hints = this.hints();
    let bytes = 0;
    let count = 0;
    while (count < this.pending.count && count < hints.maxRecords) {
      const size = this.pending.at(count).data.byteLength;
      if (count > 0 && bytes + size > hints.sizeBytes) break;
      bytes += size;
      count++;
    }
    return this.pending.first(count);
  }

  private async flushOne(): Promise<void> {
    const batch = this.cutBatch();
    const target = this.options.target();
    if (target.destination.kind === 'S3') {
      await this.deliverToS3(target, target.destination.settings, batch);
    } else {
      await this.deliverToHttpEndpoint(target, batch);
    }
    this.throwIfStopped();
    await this.options.source.commit(batch);
    this.pending.drop(batch.length);
    this.updatePendingGauge();
  }

  private recordFailure(message: string, fields: Record<string, unknown>): void {
    const counters = this.options.counters;
    counters.deliveryFailures++;
    counters.lastError = { message, atMs: this.options.clock.now() };
    this.options.log.warn('firehose delivery attempt failed', { deliveryStream: this.options.target().name, error: message, ...fields });
  }

  private recordDelivered(batch: readonly SourceRecord[]): void {
    const counters = this.options.counters;
    counters.deliveredRecords += batch.length;
    counters.deliveredBytes += batch.reduce((sum, record) => sum + record.data.byteLength, 0);
    counters.deliveredObjects++;
    counters.lastDeliveryMs = this.options.clock.now();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(new WorkerStopped());
      const timer = setTimeout(() => {
        this.stopController.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new WorkerStopped());
      };
      this.stopController.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Writes `batch` as one object, retrying for up to a day. */
  private async deliverToS3(target: DeliveryTarget, settings: S3Settings, batch: readonly SourceRecord[]): Promise<void> {
    if (await this.writeWithRetry(() => this.writeDataObject(target, settings, batch), 'S3')) {
      this.recordDelivered(batch);
    } else {
      this.options.counters.failedRecords += batch.length;
    }
    if (settings.S3BackupMode === 'Enabled' && settings.S3BackupDescription) {
      const backup = settings.S3BackupDescription;
      await this.writeWithRetry(() => this.writeDataObject(target, backup, batch), 'S3 backup');
    }
  }

  /** False when the retry window ran out and the batch was given up. */
  private async writeWithRetry(write: () => Promise<void>, what: string): Promise<boolean> {
    const firstFailureMs = this.options.clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return true;
      } catch (err) {
        this.throwIfStopped();
        this.recordFailure(`${what} write failed: ${(err as Error).message}`, { attempt });
        if (this.options.clock.now() - firstFailureMs >= S3_RETRY_WINDOW_MS) {
          this.options.log.error('firehose dropped a batch after retrying for 24 hours', { deliveryStream: this.options.target().name });
          return false;
        }
        await this.sleep(retryDelayMs(attempt, this.random));
      }
    }
  }

  private async writeDataObject(target: DeliveryTarget, settings: PlainS3Settings & Partial<S3Settings>, batch: readonly SourceRecord[]): Promise<void> {
    const delimiter = appendsDelimiter(settings.ProcessingConfiguration);
    const body = Buffer.concat(batch.flatMap((record) => {
      const data = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength);
      return delimiter ? [data, NEWLINE] : [data];
    }));
    const zone = parseTimeZone(settings.CustomTimeZone);
    const instant = batch[0]!.arrivalMs;
    const prefix = evaluatePrefix(parsePrefix(settings.Prefix ?? ''), instant, zone);
    await this.putObject(target, settings, prefix, instant, body);
  }

  private async putObject(target: DeliveryTarget, settings: PlainS3Settings & Partial<S3Settings>, prefix: string, instant: number, body: Buffer): Promise<void> {
    const zone = parseTimeZone(settings.CustomTimeZone);
    const format = settings.CompressionFormat;
    const extension = settings.FileExtension || extensionFor(format);
    const key = target.objectKey?.(instant, extension) ?? prefix + objectSuffix(target.name, target.versionId, instant, zone, randomUUID(), extension);
    await this.options.objectStore.putObject({
      bucket: bucketNameFromArn(settings.BucketARN),
      key,
      body: await compress(format, body),
      contentEncoding: contentEncodingFor(format),
    });
  }

  /** Error records, one JSON document per line, under the evaluated error prefix. */
  private async writeErrorObject(target: DeliveryTarget, settings: PlainS3Settings, type: ErrorOutputType, batch: readonly SourceRecord[], failure: { attempts: number; errorCode: string; message: string }): Promise<void> {
    const endingMs = this.options.clock.now();
    const lines = batch.map((record) => JSON.stringify({
      attemptsMade: failure.attempts,
      arrivalTimestamp: record.arrivalMs,
      errorCode: failure.errorCode,
      errorMessage: failure.message,
      attemptEndingTimestamp: endingMs,
      rawData: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
    }) + '\n');
    const zone = parseTimeZone(undefined);
    const instant = batch[0]!.arrivalMs;
    const pair = { prefix: parsePrefix(settings.Prefix ?? ''), errorOutputPrefix: settings.ErrorOutputPrefix ? parsePrefix(settings.ErrorOutputPrefix) : undefined };
    const prefix = evaluateErrorPrefix(pair, type, instant, zone);
    await this.putObject(target, settings, prefix, instant, Buffer.from(lines.join('')));
  }

  private async deliverToHttpEndpoint(target: DeliveryTarget, batch: readonly SourceRecord[]): Promise<void> {
    const requestId = randomUUID();
    // AWS's retry duration "starts after the initial attempt ... fails" and "doesn't include the
    // periods during which Firehose waits for acknowledgment": time spent waiting for answers to
    // retries is left out.
    let firstFailureMs: number | undefined;
    let answerWaitMs = 0;
    for (let attempt = 1; ; attempt++) {
      const current = this.options.target();
      if (current.destination.kind !== 'HttpEndpoint') return this.deliverToS3(current, current.destination.settings, batch);
      const settings = current.destination.settings;
      const records = appendsDelimiter(settings.ProcessingConfiguration)
        ? batch.map((record) => ({ ...record, data: Buffer.concat([record.data, NEWLINE]) }))
        : batch;
      const sentMs = this.options.clock.now();
      const result = await sendToHttpEndpoint({ settings, requestId, sourceArn: current.arn, records, nowMs: sentMs });
      this.throwIfStopped();
      if (firstFailureMs !== undefined) answerWaitMs += this.options.clock.now() - sentMs;
      if (result.ok) {
        this.recordDelivered(batch);
        if (settings.S3BackupMode === 'AllData') {
          await this.writeWithRetry(() => this.writeDataObject(current, settings.S3Configuration, batch), 'S3 backup');
        }
        return;
      }
      this.recordFailure(`${result.errorCode}: ${result.message}`, { attempt, url: settings.EndpointConfiguration.Url });
      if (result.permanent) {
        this.options.counters.failedRecords += batch.length;
        return;
      }
      firstFailureMs ??= this.options.clock.now();
      if (this.options.clock.now() - firstFailureMs - answerWaitMs >= settings.RetryOptions.DurationInSeconds * 1000) {
        this.options.counters.failedRecords += batch.length;
        const failure = { attempts: attempt, errorCode: result.errorCode, message: result.message };
        await this.writeWithRetry(() => this.writeErrorObject(current, settings.S3Configuration, 'http-endpoint-failed', batch, failure), 'S3 backup');
        if (settings.S3BackupMode === 'AllData') {
          await this.writeWithRetry(() => this.writeDataObject(current, settings.S3Configuration, batch), 'S3 backup');
        }
        return;
      }
      await this.sleep(retryDelayMs(attempt, this.random));
    }
  }
}


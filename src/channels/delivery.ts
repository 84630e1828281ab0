/**
 * Delivery of Kinesis stream channels to S3, on the Firehose engine:
 *
 * - the stream is read by Firehose's `KinesisStreamSource` (every shard, resharding followed,
 *   per-shard checkpoints in `kinesis/channel-checkpoints/<channel id>/<stream name>` written
 *   after each delivered object, so a restart resumes there: at-least-once);
 * - reading starts at LATEST as of CreateChannel *(AWS: "no backfill", only records produced after
 *   the delivery is configured)*: the source records every open shard's tip before CreateChannel
 *   answers;
 * - records are screened (`record-screen.ts`), buffered and written by Firehose's
 *   `DeliveryWorker`: an object is cut when its oldest record has waited DataFreshnessInSeconds,
 *   or at `CHANNEL_OBJECT_MB_MAX` MiB, or (Runnel's test switch `--firehose-flush-records`) after
 *   that many records; JSON and STRING records end with a newline, BYTE_ARRAY records are
 *   concatenated as they are; compression NONE, GZIP or ZSTD; keys from `object-key.ts`;
 * - the destination is read again for every object, so UpdateChannel's DataFreshnessInSeconds
 *   applies at once (waiting records may become due immediately); DeleteChannel stops delivery
 *   before it answers and drops the checkpoints; deleting the source stream stops it too.
 *
 * Objects go to the same place as Firehose's: the embedded file store `<dataDir>/s3/<bucket>/<key>`
 * (with `--in-memory`, a temporary directory removed on close), or the S3 API at `--s3-endpoint`.
 * S3 Tables destinations are refused by CreateChannel (no embedded Iceberg table store).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStreamArn } from '../domain/arn.js';
import type { Clock } from '../domain/clock.js';
import { formatShardId } from '../domain/shard-id.js';
import type { CompressionFormat } from '../firehose/compression.js';
import { DeliveryWorker, retryDelayMs, type DeliveryTarget } from '../firehose/delivery-worker.js';
import { bucketNameFromArn, type S3Settings } from '../firehose/destination.js';
import { KinesisStreamSource } from '../firehose/kinesis-source.js';
import { newCounters } from '../firehose/metrics.js';
import { FileSystemObjectStore } from '../firehose/object-store/filesystem.js';
import { S3ApiObjectStore } from '../firehose/object-store/s3-api.js';
import type { ObjectStore } from '../firehose/object-store/types.js';
import type { ServerConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import type { MetaStore } from '../storage/types.js';
import type { StreamService } from '../streams/stream-service.js';
import type { ChannelDocument, ChannelStore, ChannelStreamConfig } from './channel-store.js';
import { DEFAULT_OUTPUT_KEY_TEMPLATE, evaluateOutputKey, parseOutputKeyTemplate } from './object-key.js';
import { ScreenedSource, type RejectedRecord, type S3RecordFormat } from './record-screen.js';

export const CHANNEL_CHECKPOINT_KEY_PREFIX = 'kinesis/channel-checkpoints/';
/** Runnel's cap on one object's uncompressed size (AWS: "optimally sized objects"). */
export const CHANNEL_OBJECT_MB_MAX = 128;
/** Where dead-letter objects go when DeadLetterQueueS3Configuration gives no ErrorOutputPrefix. */
export const DEFAULT_ERROR_OUTPUT_PREFIX = 'kinesis-channel-errors/';
const ERROR_KEY_TEMPLATE = parseOutputKeyTemplate('!{channel-name}/!{channel-id}/!{yyyy}/!{MM}/!{dd}/!{HH}/!{channel-name}-!{channel-id}-!{yyyy}-!{MM}-!{dd}-!{HH}-!{mm}');
const INCOMING_DIR = '.incoming-channels';

/** The members of S3DestinationConfiguration delivery reads. */
export interface ChannelS3Destination {
  readonly DataFreshnessInSeconds: number;
  readonly StorageConfiguration: {
    readonly BucketARN: string;
    readonly OutputKeyTemplate?: string;
    readonly CompressionType: 'NONE' | 'GZIP' | 'ZSTD';
  };
  readonly DeadLetterQueueS3Configuration?: { readonly BucketARN: string; readonly ErrorOutputPrefix?: string };
}

const COMPRESSION: Readonly<Record<ChannelS3Destination['StorageConfiguration']['CompressionType'], CompressionFormat>> = {
  NONE: 'UNCOMPRESSED',
  GZIP: 'GZIP',
  ZSTD: 'ZSTD',
};

export interface ChannelDeliveryDeps {
  readonly channels: ChannelStore;
  readonly streams: StreamService;
  readonly meta: MetaStore;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
}

/** One source stream of one channel being delivered. */
interface StreamDelivery {
  readonly stream: ChannelStreamConfig;
  readonly worker: DeliveryWorker;
  readonly source: KinesisStreamSource;
  readonly stopped: AbortController;
}

interface LiveChannel {
  channel: ChannelDocument;
  readonly deliveries: StreamDelivery[];
}

/** The object store channels write to, at the same place as Firehose's (see above). */
export async function openChannelObjectStore(config: ServerConfig): Promise<ObjectStore> {
  if (config.s3Endpoint) return new S3ApiObjectStore({ endpoint: config.s3Endpoint, region: config.region, forcePathStyle: config.s3ForcePathStyle });
  if (config.inMemory) return FileSystemObjectStore.open(await mkdtemp(join(tmpdir(), 'runnel-channels-s3-')), { removeOnClose: true });
  return FileSystemObjectStore.open(join(config.dataDir, 's3'), { incomingDir: INCOMING_DIR });
}

export class ChannelDelivery {
  /** By channel id. */
  private readonly live = new Map<string, LiveChannel>();
  private closed = false;

  private constructor(private readonly deps: ChannelDeliveryDeps, private readonly objectStore: ObjectStore) {}

  /** Starts delivery of every stored channel and follows channel and stream changes from then on. */
  static async open(deps: ChannelDeliveryDeps): Promise<ChannelDelivery> {
    const delivery = new ChannelDelivery(deps, await openChannelObjectStore(deps.config));
    deps.streams.addExtension({
      streamChanged: () => {
        for (const live of delivery.live.values()) for (const { source } of live.deliveries) source.refreshShards();
      },
      afterDelete: async (stream) => {
        for (const live of delivery.live.values()) {
          const reading = live.deliveries.filter((d) => d.stream.streamArn === stream.arn && d.stream.streamCreatedAtMs === stream.meta.createdAtMs);
          for (const gone of reading) await delivery.stopDelivery(live, gone);
        }
      },
    });
    const channels = await deps.channels.list();
    for (const channel of channels) if (channel.deletedAtMs === undefined) await delivery.start(channel);
    await delivery.removeOrphanCheckpoints(new Set(channels.filter((c) => c.deletedAtMs === undefined).map((c) => c.id)));
    deps.channels.onChange((change, channel) => delivery.apply(change, channel));
    deps.log.info('channel objects go to ' + delivery.objectStore.location);
    return delivery;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) for (const d of live.deliveries) await this.stopWorker(d);
    this.live.clear();
    await this.objectStore.close();
  }

  private async apply(change: 'created' | 'updated' | 'deleted', channel: ChannelDocument): Promise<void> {
    if (this.closed) return;
    if (change === 'created') return this.start(channel);
    const live = this.live.get(channel.id);
    if (change === 'updated') {
      if (!live) return;
      live.channel = channel;
      // A shorter DataFreshnessInSeconds may make waiting records due now.
      for (const { worker } of live.deliveries) worker.kick();
      return;
    }
    if (live) {
      for (const d of [...live.deliveries]) await this.stopDelivery(live, d);
      this.live.delete(channel.id);
    }
    await this.removeCheckpoints(channel.id);
  }

  private async start(channel: ChannelDocument): Promise<void> {
    if (channel.destinationType !== 'S3') {
      this.deps.log.warn('channel not delivered: S3 Tables destinations are not supported', { channel: channel.name });
      return;
    }
    const live: LiveChannel = { channel, deliveries: [] };
    this.live.set(channel.id, live);
    for (const stream of channel.streams) {
      const streamName = parseStreamArn(stream.streamArn)?.streamName;
      const current = streamName === undefined ? undefined : this.deps.streams.get(streamName);
      if (!current || current.meta.createdAtMs !== stream.streamCreatedAtMs) {
        this.deps.log.warn('channel source stream is gone; not delivering it', { channel: channel.name, stream: stream.streamArn });
        continue;
      }
      live.deliveries.push(await this.startDelivery(live, stream, current.name));
    }
  }

  private async startDelivery(live: LiveChannel, stream: ChannelStreamConfig, streamName: string): Promise<StreamDelivery> {
    const { channel } = live;
    const log = this.deps.log.child({ channel: channel.name, stream: streamName });
    const stopped = new AbortController();
    const source = new KinesisStreamSource(this.deps.streams, this.deps.meta, streamName, `${CHANNEL_CHECKPOINT_KEY_PREFIX}${channel.id}/${streamName}`, () => undefined);
    const screened = new ScreenedSource(source, {
      format: () => stream.recordConfiguration.RecordFormatType as S3RecordFormat,
      deadLetter: (rejected) => this.deadLetter(live, streamName, rejected, stopped.signal, log),
    });
    const worker = new DeliveryWorker({
      target: () => this.target(live.channel, stream, streamName),
      source: screened,
      objectStore: this.objectStore,
      clock: this.deps.clock,
      log,
      flushRecords: this.deps.config.firehoseFlushRecords,
      counters: newCounters(),
    });
    await worker.start();
    return { stream, worker, source, stopped };
  }

  private target(channel: ChannelDocument, stream: ChannelStreamConfig, streamName: string): DeliveryTarget {
    const destination = channel.destination as unknown as ChannelS3Destination;
    const storage = destination.StorageConfiguration;
    const template = parseOutputKeyTemplate(storage.OutputKeyTemplate ?? DEFAULT_OUTPUT_KEY_TEMPLATE);
    const format = stream.recordConfiguration.RecordFormatType as S3RecordFormat;
    const settings: S3Settings = {
      RoleARN: channel.serviceExecutionRoleArn,
      BucketARN: storage.BucketARN,
      BufferingHints: { SizeInMBs: CHANNEL_OBJECT_MB_MAX, IntervalInSeconds: destination.DataFreshnessInSeconds },
      CompressionFormat: COMPRESSION[storage.CompressionType],
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
      S3BackupMode: 'Disabled',
      ...(format === 'BYTE_ARRAY' ? {} : { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] } }),
    };
    const context = { channelName: channel.name, channelId: channel.id, streamName };
    return {
      name: channel.name,
      arn: this.deps.channels.arnOf(channel.name),
      versionId: 1,
      destination: { kind: 'S3', settings },
      objectKey: (instantMs, extension) => evaluateOutputKey(template, context, instantMs, extension, randomUUID()),
    };
  }

  /** Writes rejected records as one JSON-lines object to the dead-letter queue, retrying (backing
   * off as Firehose does) until it is stored; false when delivery stopped first. */
  private async deadLetter(live: LiveChannel, streamName: string, rejected: readonly RejectedRecord[], stopped: AbortSignal, log: Logger): Promise<boolean> {
    const { channel } = live;
    const destination = channel.destination as unknown as ChannelS3Destination;
    const dlq = destination.DeadLetterQueueS3Configuration;
    const nowMs = this.deps.clock.now();
    const body = Buffer.from(rejected.map(({ record, failure }) => JSON.stringify({
      channelName: channel.name,
      streamName,
      shardId: formatShardId(Number(record.logId)),
      approximateArrivalTimestamp: record.arrivalMs,
      errorCode: failure.errorCode,
      errorMessage: failure.message,
      attemptEndingTimestamp: nowMs,
      rawData: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64'),
    }) + '\n').join(''));
    const context = { channelName: channel.name, channelId: channel.id, streamName };
    const key = (dlq?.ErrorOutputPrefix ?? DEFAULT_ERROR_OUTPUT_PREFIX) + evaluateOutputKey(ERROR_KEY_TEMPLATE, context, rejected[0]!.record.arrivalMs, '', randomUUID());
    const bucket = bucketNameFromArn(dlq?.BucketARN ?? destination.StorageConfiguration.BucketARN);
    for (let attempt = 1; !stopped.aborted; attempt++) {
      try {
        await this.objectStore.putObject({ bucket, key, body, contentEncoding: undefined });
        log.warn('channel records sent to the dead-letter queue', { records: rejected.length, bucket, key });
        return true;
      } catch (err) {
        log.warn('channel dead-letter write failed', { attempt, error: (err as Error).message });
        await abortableDelay(retryDelayMs(attempt, Math.random), stopped);
      }
    }
    return false;
  }

  private async stopDelivery(live: LiveChannel, delivery: StreamDelivery): Promise<void> {
    await this.stopWorker(delivery);
    live.deliveries.splice(live.deliveries.indexOf(delivery), 1);
  }

  private async stopWorker(delivery: StreamDelivery): Promise<void> {
    delivery.stopped.abort();
    await delivery.worker.stop();
  }

  private async removeCheckpoints(channelId: string): Promise<void> {
    const entries = await this.deps.meta.list(`${CHANNEL_CHECKPOINT_KEY_PREFIX}${channelId}/`);
    if (entries.length > 0) await this.deps.meta.commit(entries.map((entry) => ({ op: 'delete' as const, key: entry.key })));
  }

  /** Checkpoints of channels deleted while the server was down (or before it could clean up). */
  private async removeOrphanCheckpoints(liveIds: ReadonlySet<string>): Promise<void> {
    const entries = await this.deps.meta.list(CHANNEL_CHECKPOINT_KEY_PREFIX);
    const orphans = entries.filter((entry) => !liveIds.has(entry.key.slice(CHANNEL_CHECKPOINT_KEY_PREFIX.length).split('/')[0]!));
    if (orphans.length > 0) await this.deps.meta.commit(orphans.map((entry) => ({ op: 'delete' as const, key: entry.key })));
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

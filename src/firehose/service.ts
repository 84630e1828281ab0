/**
 * The Firehose engine: delivery stream definitions (MetaStore, key prefix `firehose/`), their
 * lifecycle, the DirectPut ingest path and one DeliveryWorker per delivery stream.
 *
 * Meta keys:
 * - `firehose/streams/<name>`: the StoredDeliveryStream (compare-and-set on every change);
 * - `firehose/checkpoints/<uid>/...`: delivered-up-to counters, written by the sources.
 * Record logs: `firehose/<uid>`, the DirectPut buffer of one delivery stream incarnation.
 *
 * Status is derived from the clock: CREATING until `activeAtMs` (config.firehoseCreateMs after
 * the create), DELETING for config.firehoseDeleteMs after a delete, then gone. A timer removes
 * the definition, checkpoints and buffer log once the delete delay has passed; at startup any
 * stream found DELETING is removed at once.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { TokenBucket } from '../limits/token-bucket.js';
import {
  ConcurrentModificationException,
  InvalidArgumentException,
  LimitExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
} from '../errors/firehose.js';
import type { ServerConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { MetaConflictError, type Storage } from '../storage/types.js';
import { DeliveryWorker } from './delivery-worker.js';
import { DESTINATION_ID, describeDestination, destinationFromCreate, destinationFromUpdate, samplePrefixes, type StoredDestination } from './destination.js';
import { dataFreshnessSeconds, newCounters, registerCounters, type DeliveryStreamCounters } from './metrics.js';
import type { ObjectStore } from './object-store/types.js';
import { BufferLogSource, type RecordSource } from './source.js';

export type DeliveryStreamType = 'DirectPut' | 'KinesisStreamAsSource';
export type DeliveryStreamStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface Tag {
  readonly Key: string;
  readonly Value?: string;
}

export interface StoredEncryption {
  readonly Status: 'ENABLED' | 'DISABLED';
  readonly KeyType?: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK';
  readonly KeyARN?: string;
}

export interface StoredDeliveryStream {
  readonly name: string;
  readonly arn: string;
  /** Distinguishes incarnations of one name: logs and checkpoints are keyed by it. */
  readonly uid: string;
  readonly type: DeliveryStreamType;
  readonly createdMs: number;
  readonly lastUpdateMs?: number;
  readonly activeAtMs: number;
  readonly deletingSinceMs?: number;
  readonly versionId: number;
  readonly encryption: StoredEncryption;
  readonly directPut?: { readonly ThroughputHintInMBs?: number };
  readonly kinesisSource?: { readonly KinesisStreamARN: string; readonly RoleARN: string; readonly deliveryStartMs: number };
  readonly destination: StoredDestination;
  readonly tags: readonly Tag[];
}

/** Builds the source of a KinesisStreamAsSource delivery stream; supplied by the composition
 * root when the Kinesis stream engine is present. */
export interface KinesisSourceFactory {
  /** Throws InvalidArgumentException when the stream does not exist or is not readable. */
  check(streamArn: string): Promise<void>;
  create(stream: StoredDeliveryStream, checkpointPrefix: string): RecordSource;
}

export interface FirehoseServiceDeps {
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly storage: Storage;
  readonly objectStore: ObjectStore;
  readonly kinesisSources: KinesisSourceFactory | undefined;
}

interface LiveStream {
  stored: StoredDeliveryStream;
  metaVersion: number;
  readonly counters: DeliveryStreamCounters;
  worker: DeliveryWorker | undefined;
  unregister: () => void;
  /** Serialises changes to the definition, so each one starts from the previous one's result. */
  lock: Promise<unknown>;
  /** DirectPut quotas, enforced when config.limits is `aws`. */
  readonly recordQuota: TokenBucket;
  readonly byteQuota: TokenBucket;
  deleteTimer?: NodeJS.Timeout;
}

const STREAM_KEY_PREFIX = 'firehose/streams/';
const CHECKPOINT_KEY_PREFIX = 'firehose/checkpoints/';
export const DELIVERY_STREAMS_PER_REGION_MAX = 50;
export const TAGS_PER_DELIVERY_STREAM_MAX = 50;
/** AWS's default DirectPut quota per delivery stream. */
export const DIRECT_PUT_RECORDS_PER_SECOND = 5000;
export const DIRECT_PUT_BYTES_PER_SECOND = 5 * 1024 * 1024;
export const THROTTLED_MESSAGE = 'Slow down.';

/** One PutRecord(Batch) entry: its RecordId, or `undefined` when the quota refused it. */
export type PutResult = string | undefined;

export function bufferLogId(uid: string): string {
  return `firehose/${uid}`;
}

export class FirehoseService {
  private readonly live = new Map<string, LiveStream>();
  private closed = false;

  constructor(private readonly deps: FirehoseServiceDeps) {}

  get objectStoreLocation(): string {
    return this.deps.objectStore.location;
  }

  /** Loads every stored delivery stream and starts its delivery. */
  async open(): Promise<void> {
    const entries = await this.deps.storage.meta.list<StoredDeliveryStream>(STREAM_KEY_PREFIX);
    for (const entry of entries) {
      const live = this.track(entry.value, entry.version);
      if (entry.value.deletingSinceMs !== undefined) {
        await this.finishDelete(live);
      } else {
        await this.startWorker(live);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const live of this.live.values()) {
      if (live.deleteTimer) clearTimeout(live.deleteTimer);
      await live.worker?.stop();
      live.unregister();
    }
    this.live.clear();
    await this.deps.objectStore.close();
  }

  private arn(name: string): string {
    return `arn:aws:firehose:${this.deps.config.region}:${this.deps.config.accountId}:deliverystream/${name}`;
  }

  /** Refuses prefixes whose objects the object store could never hold (the embedded file store
   * cannot keep a key such as `/logs//x` as a file), rather than retrying their writes for a day. */
  private checkStorable(destination: StoredDestination): void {
    const { objectStore } = this.deps;
    if (!objectStore.unstorableKeyReason) return;
    for (const sample of samplePrefixes(destination)) {
      const reason = objectStore.unstorableKeyReason(`${sample.evaluated}object`);
      if (reason) {
        throw new InvalidArgumentException(`${sample.member} ${JSON.stringify(sample.configured)} cannot be delivered by this server: ${reason}. Use another prefix, or deliver through an S3 API (--s3-endpoint).`);
      }
    }
  }

  private notFound(name: string): ResourceNotFoundException {
    return new ResourceNotFoundException(`Firehose ${name} under account ${this.deps.config.accountId} not found.`);
  }

  status(stored: StoredDeliveryStream): DeliveryStreamStatus {
    if (stored.deletingSinceMs !== undefined) return 'DELETING';
    return this.deps.clock.now() < stored.activeAtMs ? 'CREATING' : 'ACTIVE';
  }

  private deleteExpired(stored: StoredDeliveryStream): boolean {
    return stored.deletingSinceMs !== undefined && this.deps.clock.now() >= stored.deletingSinceMs + this.deps.config.firehoseDeleteMs;
  }

  private find(name: string): LiveStream {
    const live = this.live.get(name);
    if (!live || this.deleteExpired(live.stored)) throw this.notFound(name);
    return live;
  }

  private track(stored: StoredDeliveryStream, metaVersion: number): LiveStream {
    const counters = newCounters();
    const live: LiveStream = {
      stored,
      metaVersion,
      counters,
      worker: undefined,
      lock: Promise.resolve(),
      unregister: registerCounters(stored.name, counters, () => this.deps.clock.now()),
      recordQuota: new TokenBucket(DIRECT_PUT_RECORDS_PER_SECOND, DIRECT_PUT_RECORDS_PER_SECOND, this.deps.clock),
      byteQuota: new TokenBucket(DIRECT_PUT_BYTES_PER_SECOND, DIRECT_PUT_BYTES_PER_SECOND, this.deps.clock),
    };
    this.live.set(stored.name, live);
    return live;
  }

  private async startWorker(live: LiveStream): Promise<void> {
    const { stored } = live;
    const checkpointPrefix = `${CHECKPOINT_KEY_PREFIX}${stored.uid}`;
    let source: RecordSource;
    if (stored.type === 'KinesisStreamAsSource') {
      if (!this.deps.kinesisSources) {
        this.deps.log.error('firehose: no Kinesis stream engine, KinesisStreamAsSource delivery stream is idle', { deliveryStream: stored.name });
        return;
      }
      source = this.deps.kinesisSources.create(stored, checkpointPrefix);
    } else {
      await this.deps.storage.log.createLog(bufferLogId(stored.uid));
      source = new BufferLogSource(this.deps.storage.log, this.deps.storage.meta, bufferLogId(stored.uid), checkpointPrefix);
    }
    live.worker = new DeliveryWorker({
      target: () => ({ name: live.stored.name, arn: live.stored.arn, versionId: live.stored.versionId, destination: live.stored.destination }),
      source,
      objectStore: this.deps.objectStore,
      clock: this.deps.clock,
      log: this.deps.log.child({ deliveryStream: stored.name }),
      flushRecords: this.deps.config.firehoseFlushRecords,
      counters: live.counters,
      countsIncoming: stored.type === 'KinesisStreamAsSource',
    });
    await live.worker.start();
  }

  /**
   * Applies `change` to the current definition of `name` (after any change still running) and
   * saves its result; `undefined` means nothing to save.
   */
  private async mutate(name: string, change: (live: LiveStream) => StoredDeliveryStream | undefined): Promise<LiveStream> {
    const live = this.find(name);
    const run = live.lock.then(async () => {
      if (this.find(name) !== live) throw this.notFound(name);
      const next = change(live);
      if (next) await this.save(live, next);
    });
    live.lock = run.catch(() => undefined);
    await run;
    return live;
  }

  /** Compare-and-set write of a stream definition; a concurrent change wins and this one fails. */
  private async save(live: LiveStream, next: StoredDeliveryStream): Promise<void> {
    try {
      await this.deps.storage.meta.commit([{ op: 'put', key: STREAM_KEY_PREFIX + next.name, value: next, expectVersion: live.metaVersion }]);
    } catch (err) {
      if (err instanceof MetaConflictError) {
        throw new ConcurrentModificationException('Another modification has already happened. Fetch VersionId again and use it to update the destination.');
      }
      throw err;
    }
    live.stored = next;
    live.metaVersion++;
  }

  async create(input: Record<string, any>): Promise<string> {
    const name: string = input.DeliveryStreamName;
    const type: DeliveryStreamType | 'MSKAsSource' | 'DatabaseAsSource' = input.DeliveryStreamType ?? 'DirectPut';
    if (type === 'MSKAsSource' || type === 'DatabaseAsSource') {
      throw new InvalidArgumentException(`DeliveryStreamType ${type} is not supported by Runnel.`);
    }
    if (type === 'KinesisStreamAsSource' && !input.KinesisStreamSourceConfiguration) {
      throw new InvalidArgumentException('KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.');
    }
    if (type === 'DirectPut' && input.KinesisStreamSourceConfiguration) {
      throw new InvalidArgumentException('KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource.');
    }
    if (type !== 'DirectPut' && input.DirectPutSourceConfiguration) {
      throw new InvalidArgumentException('DirectPutSourceConfiguration is only allowed when DeliveryStreamType is DirectPut.');
    }
    if (input.MSKSourceConfiguration || input.DatabaseSourceConfiguration) {
      throw new InvalidArgumentException('MSK and database sources are not supported by Runnel.');
    }
    const destination = destinationFromCreate(input);
    this.checkStorable(destination);
    const encryption = encryptionFrom(input.DeliveryStreamEncryptionConfigurationInput, type);
    const tags: Tag[] = input.Tags ?? [];
    checkTagKeysUnique(tags);

    const existing = this.live.get(name);
    if (existing && !this.deleteExpired(existing.stored)) {
      throw new ResourceInUseException(`Firehose ${name} under accountId ${this.deps.config.accountId} already exists`);
    }
    if (this.deps.config.limits === 'aws') {
      const active = [...this.live.values()].filter((live) => !this.deleteExpired(live.stored));
      if (active.length >= DELIVERY_STREAMS_PER_REGION_MAX) {
        throw new LimitExceededException(`You have already consumed your firehose quota of ${DELIVERY_STREAMS_PER_REGION_MAX} hoses. Firehose names: [${active.map((live) => live.stored.name).join(', ')}]`);
      }
    }
    if (type === 'KinesisStreamAsSource') {
      if (!this.deps.kinesisSources) throw new InvalidArgumentException('KinesisStreamAsSource is not available: this server runs no Kinesis stream engine.');
      await this.deps.kinesisSources.check(input.KinesisStreamSourceConfiguration.KinesisStreamARN);
    }
    if (existing) await this.finishDelete(existing);

    const now = this.deps.clock.now();
    const stored: StoredDeliveryStream = {
      name,
      arn: this.arn(name),
      uid: `${name}.${now.toString(36)}${randomBytes(4).toString('hex')}`,
      type,
      createdMs: now,
      activeAtMs: now + this.deps.config.firehoseCreateMs,
      versionId: 1,
      encryption,
      ...(type === 'DirectPut' ? { directPut: withoutUndefined({ ThroughputHintInMBs: input.DirectPutSourceConfiguration?.ThroughputHintInMBs }) } : {}),
      ...(type === 'KinesisStreamAsSource'
        ? { kinesisSource: { KinesisStreamARN: input.KinesisStreamSourceConfiguration.KinesisStreamARN, RoleARN: input.KinesisStreamSourceConfiguration.RoleARN, deliveryStartMs: now } }
        : {}),
      destination,
      tags,
    };
    try {
      await this.deps.storage.meta.commit([{ op: 'put', key: STREAM_KEY_PREFIX + name, value: stored, expectVersion: 0 }]);
    } catch (err) {
      if (err instanceof MetaConflictError) throw new ResourceInUseException(`Firehose ${name} under accountId ${this.deps.config.accountId} already exists`);
      throw err;
    }
    const live = this.track(stored, 1);
    await this.startWorker(live);
    this.deps.log.info('firehose delivery stream created', { deliveryStream: name, type });
    return stored.arn;
  }

  async delete(name: string): Promise<void> {
    let started = false;
    const live = await this.mutate(name, ({ stored }) => {
      const status = this.status(stored);
      if (status === 'CREATING') {
        throw new ResourceInUseException(`Firehose ${name} is not in the ACTIVE state (current state: CREATING).`);
      }
      if (status === 'DELETING') return undefined;
      started = true;
      return { ...stored, deletingSinceMs: this.deps.clock.now() };
    });
    if (!started) return;
    await live.worker?.stop();
    live.worker = undefined;
    live.deleteTimer = setTimeout(() => {
      this.finishDelete(live).catch((err) => this.deps.log.error('firehose delete failed', { deliveryStream: name, error: String(err) }));
    }, this.deps.config.firehoseDeleteMs);
    live.deleteTimer.unref();
  }

  private async finishDelete(live: LiveStream): Promise<void> {
    if (this.live.get(live.stored.name) !== live || this.closed) return;
    if (live.deleteTimer) clearTimeout(live.deleteTimer);
    await live.worker?.stop();
    this.live.delete(live.stored.name);
    live.unregister();
    const { meta, log } = this.deps.storage;
    const checkpoints = await meta.list(`${CHECKPOINT_KEY_PREFIX}${live.stored.uid}`);
    await meta.commit([
      { op: 'delete', key: STREAM_KEY_PREFIX + live.stored.name },
      ...checkpoints.map((entry) => ({ op: 'delete' as const, key: entry.key })),
    ]);
    if (live.stored.type === 'DirectPut') await log.deleteLog(bufferLogId(live.stored.uid)).catch(() => undefined);
    this.deps.log.info('firehose delivery stream deleted', { deliveryStream: live.stored.name });
  }

  describe(name: string, limit: number | undefined, exclusiveStartDestinationId: string | undefined): Record<string, unknown> {
    const live = this.find(name);
    const { stored, counters } = live;
    const destinations = exclusiveStartDestinationId !== undefined && exclusiveStartDestinationId >= DESTINATION_ID || limit === 0
      ? []
      : [describeDestination(stored.destination)];
    const now = this.deps.clock.now();
    return withoutUndefined({
      DeliveryStreamName: stored.name,
      DeliveryStreamARN: stored.arn,
      DeliveryStreamStatus: this.status(stored),
      DeliveryStreamEncryptionConfiguration: stored.encryption.Status === 'ENABLED'
        ? withoutUndefined({ KeyARN: stored.encryption.KeyARN, KeyType: stored.encryption.KeyType, Status: 'ENABLED' })
        : { Status: 'DISABLED' },
      DeliveryStreamType: stored.type,
      VersionId: String(stored.versionId),
      CreateTimestamp: new Date(stored.createdMs),
      LastUpdateTimestamp: stored.lastUpdateMs === undefined ? undefined : new Date(stored.lastUpdateMs),
      Source: stored.directPut?.ThroughputHintInMBs !== undefined
        ? { DirectPutSourceDescription: stored.directPut }
        : stored.kinesisSource
          ? { KinesisStreamSourceDescription: { KinesisStreamARN: stored.kinesisSource.KinesisStreamARN, RoleARN: stored.kinesisSource.RoleARN, DeliveryStartTimestamp: new Date(stored.kinesisSource.deliveryStartMs) } }
          : undefined,
      Destinations: destinations,
      HasMoreDestinations: false,
      RunnelDeliveryStatus: deliveryStatus(counters, now, this.deps.objectStore.location),
    });
  }

  /** Counters and derived figures for `runnel firehose status` and tests. */
  deliveryStatus(name: string): RunnelDeliveryStatus {
    const live = this.find(name);
    return deliveryStatus(live.counters, this.deps.clock.now(), this.deps.objectStore.location);
  }

  list(limit: number | undefined, type: DeliveryStreamType | undefined, exclusiveStart: string | undefined): { names: string[]; hasMore: boolean } {
    const names = [...this.live.values()]
      .filter((live) => !this.deleteExpired(live.stored))
      .filter((live) => type === undefined || live.stored.type === type)
      .map((live) => live.stored.name)
      .filter((name) => exclusiveStart === undefined || name > exclusiveStart)
      .sort();
    const max = limit ?? 10;
    return { names: names.slice(0, max), hasMore: names.length > max };
  }

  async updateDestination(input: Record<string, any>): Promise<void> {
    const live = await this.mutate(input.DeliveryStreamName, (current) => {
      const { stored } = current;
      this.requireActive(current);
      if (input.CurrentDeliveryStreamVersionId !== String(stored.versionId)) {
        throw new ConcurrentModificationException(`Firehose ${stored.name} version ${input.CurrentDeliveryStreamVersionId} does not match the current version ${stored.versionId}. Fetch VersionId again and use it to update the destination.`);
      }
      if (input.DestinationId !== DESTINATION_ID) {
        throw new InvalidArgumentException(`Destination ${input.DestinationId} not found for Firehose ${stored.name}.`);
      }
      const destination = destinationFromUpdate(stored.destination, input);
      this.checkStorable(destination);
      return { ...stored, destination, versionId: stored.versionId + 1, lastUpdateMs: this.deps.clock.now() };
    });
    // New buffering hints may make waiting records due now.
    live.worker?.kick();
  }

  /**
   * Appends DirectPut records to the durable buffer and resolves once they are durable. With AWS
   * limits on, records beyond the delivery stream's per-second quota are refused one by one (the
   * caller reports them as ServiceUnavailableException "Slow down.").
   */
  async put(name: string, records: readonly Uint8Array[]): Promise<{ results: PutResult[]; encrypted: boolean }> {
    const live = this.live.get(name);
    if (!live || this.status(live.stored) !== 'ACTIVE' || this.deleteExpired(live.stored)) throw this.notFound(name);
    if (live.stored.type === 'KinesisStreamAsSource') {
      throw new InvalidArgumentException('This operation is not permitted on KinesisStreamAsSource delivery stream type.');
    }
    const accepted = records.map((data) => this.deps.config.limits !== 'aws' || takeQuota(live, data.byteLength));
    const toAppend = records.filter((_, i) => accepted[i]);
    const results: PutResult[] = new Array(records.length).fill(undefined);
    if (toAppend.length > 0) {
      const arrivalMs = this.deps.clock.now();
      const appended = await this.deps.storage.log.append(
        bufferLogId(live.stored.uid),
        toAppend.map((data) => ({ partitionKey: '', data, arrivalMs })),
      );
      live.counters.incomingRecords += toAppend.length;
      live.counters.incomingBytes += toAppend.reduce((sum, data) => sum + data.byteLength, 0);
      let counter = appended.firstCounter;
      for (let i = 0; i < records.length; i++) if (accepted[i]) results[i] = recordId(counter++);
    }
    return { results, encrypted: live.stored.encryption.Status === 'ENABLED' };
  }

  async startEncryption(name: string, config: { KeyType: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK'; KeyARN?: string } | undefined): Promise<void> {
    await this.mutate(name, (live) => {
      this.requireActive(live);
      return { ...live.stored, encryption: encryptionFrom(config ?? { KeyType: 'AWS_OWNED_CMK' }, live.stored.type) };
    });
  }

  async stopEncryption(name: string): Promise<void> {
    await this.mutate(name, (live) => {
      this.requireActive(live);
      if (live.stored.type !== 'DirectPut') throw encryptionSourceError();
      return { ...live.stored, encryption: { Status: 'DISABLED' } };
    });
  }

  private requireActive(live: LiveStream): void {
    const status = this.status(live.stored);
    if (status !== 'ACTIVE') {
      throw new ResourceInUseException(`Firehose ${live.stored.name} is not in the ACTIVE state (current state: ${status}).`);
    }
  }

  async tag(name: string, tags: readonly Tag[]): Promise<void> {
    checkTagKeysUnique(tags);
    await this.mutate(name, ({ stored }) => {
      const byKey = new Map(stored.tags.map((tag) => [tag.Key, tag]));
      for (const tag of tags) byKey.set(tag.Key, tag);
      if (byKey.size > TAGS_PER_DELIVERY_STREAM_MAX) {
        throw new LimitExceededException(`A delivery stream cannot have more than ${TAGS_PER_DELIVERY_STREAM_MAX} tags.`);
      }
      return { ...stored, tags: [...byKey.values()] };
    });
  }

  async untag(name: string, keys: readonly string[]): Promise<void> {
    const remove = new Set(keys);
    await this.mutate(name, ({ stored }) => ({ ...stored, tags: stored.tags.filter((tag) => !remove.has(tag.Key)) }));
  }

  listTags(name: string, exclusiveStartTagKey: string | undefined, limit: number | undefined): { tags: Tag[]; hasMore: boolean } {
    const live = this.find(name);
    const sorted = [...live.stored.tags]
      .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
      .filter((tag) => exclusiveStartTagKey === undefined || tag.Key > exclusiveStartTagKey);
    const max = limit ?? TAGS_PER_DELIVERY_STREAM_MAX;
    return { tags: sorted.slice(0, max), hasMore: sorted.length > max };
  }
}

export interface RunnelDeliveryStatus {
  readonly ObjectStore: string;
  readonly DataFreshnessSeconds: number;
  readonly IncomingRecords: number;
  readonly IncomingBytes: number;
  readonly DeliveredRecords: number;
  readonly DeliveredBytes: number;
  readonly DeliveredObjects: number;
  readonly DeliveryFailures: number;
  readonly FailedRecords: number;
  readonly LastDeliveryTimestamp?: Date;
  readonly LastError?: { readonly Message: string; readonly Timestamp: Date };
}

function deliveryStatus(counters: DeliveryStreamCounters, nowMs: number, location: string): RunnelDeliveryStatus {
  return withoutUndefined({
    ObjectStore: location,
    DataFreshnessSeconds: dataFreshnessSeconds(counters, nowMs),
    IncomingRecords: counters.incomingRecords,
    IncomingBytes: counters.incomingBytes,
    DeliveredRecords: counters.deliveredRecords,
    DeliveredBytes: counters.deliveredBytes,
    DeliveredObjects: counters.deliveredObjects,
    DeliveryFailures: counters.deliveryFailures,
    FailedRecords: counters.failedRecords,
    LastDeliveryTimestamp: counters.lastDeliveryMs === undefined ? undefined : new Date(counters.lastDeliveryMs),
    LastError: counters.lastError ? { Message: counters.lastError.message, Timestamp: new Date(counters.lastError.atMs) } : undefined,
  });
}

function takeQuota(live: LiveStream, bytes: number): boolean {
  if (!live.recordQuota.tryTake(1)) return false;
  if (live.byteQuota.tryTake(bytes)) return true;
  live.recordQuota.giveBack(1);
  return false;
}

function encryptionSourceError(): InvalidArgumentException {
  return new InvalidArgumentException('Server-side encryption is only supported for delivery streams of type DirectPut.');
}

function encryptionFrom(config: { KeyType?: string; KeyARN?: string } | undefined, type: DeliveryStreamType): StoredEncryption {
  if (!config) return { Status: 'DISABLED' };
  if (type !== 'DirectPut') throw encryptionSourceError();
  if (config.KeyType === 'CUSTOMER_MANAGED_CMK' && !config.KeyARN) {
    throw new InvalidArgumentException('KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.');
  }
  if (config.KeyType === 'AWS_OWNED_CMK' && config.KeyARN) {
    throw new InvalidArgumentException('KeyARN must not be specified when KeyType is AWS_OWNED_CMK.');
  }
  return withoutUndefined({ Status: 'ENABLED', KeyType: config.KeyType as StoredEncryption['KeyType'], KeyARN: config.KeyARN });
}

function checkTagKeysUnique(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.Key)) throw new InvalidArgumentException(`Duplicate tag key ${tag.Key} in the request.`);
    seen.add(tag.Key);
  }
}

/** An opaque id, unique per buffer-log position: the counter plus random bytes, base64. */
function recordId(counter: number): string {
  const position = Buffer.alloc(8);
  position.writeBigUInt64BE(BigInt(counter));
  return Buffer.concat([position, randomBytes(40)]).toString('base64');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

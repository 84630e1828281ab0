/** The delivery loop on a ManualClock: which limit flushes, which instant names the object,
 * retries, and resuming from the checkpoint. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { DeliveryWorker, type DeliveryTarget } from '../../src/firehose/delivery-worker.js';
import type { StoredDestination } from '../../src/firehose/destination.js';
import { newCounters } from '../../src/firehose/metrics.js';
import type { ObjectStore, PutObjectInput } from '../../src/firehose/object-store/types.js';
import { BufferLogSource } from '../../src/firehose/source.js';
import { createLogger } from '../../src/server/logger.js';
import { createMemoryStorage } from '../../src/storage/memory/index.js';
import type { Storage } from '../../src/storage/types.js';
import { waitFor } from '../integration/firehose/helpers.js';

const LOG = createLogger('silent');
const START = Date.UTC(2026, 10, 28, 7, 59, 58);

class CapturingStore implements ObjectStore {
  readonly location = 'memory://test';
  readonly objects: PutObjectInput[] = [];
  failuresLeft = 0;
  async putObject(input: PutObjectInput): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('injected failure');
    }
    this.objects.push(input);
  }
  async close(): Promise<void> {}
}

function s3Destination(sizeInMBs: number, intervalInSeconds: number): StoredDestination {
  return {
    kind: 'S3',
    settings: {
      RoleARN: 'arn:aws:iam::123456789012:role/r',
      BucketARN: 'arn:aws:s3:::b',
      BufferingHints: { SizeInMBs: sizeInMBs, IntervalInSeconds: intervalInSeconds },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      CloudWatchLoggingOptions: { Enabled: false },
      S3BackupMode: 'Disabled',
    },
  };
}

interface Rig {
  storage: Storage;
  clock: ManualClock;
  store: CapturingStore;
  worker: DeliveryWorker;
  counters: ReturnType<typeof newCounters>;
  append(...data: string[]): Promise<void>;
}

async function rig(destination: StoredDestination, options: { storage?: Storage; clock?: ManualClock; flushRecords?: number } = {}): Promise<Rig> {
  const storage = options.storage ?? createMemoryStorage(LOG);
  const clock = options.clock ?? new ManualClock(START);
  await storage.log.createLog('firehose/test');
  const store = new CapturingStore();
  const counters = newCounters();
  const target: DeliveryTarget = { name: 'ds', arn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/ds', versionId: 1, destination };
  const worker = new DeliveryWorker({
    target: () => target,
    source: new BufferLogSource(storage.log, storage.meta, 'firehose/test', 'firehose/checkpoints/test'),
    objectStore: store,
    clock,
    log: LOG,
    flushRecords: options.flushRecords ?? 0,
    counters,
    random: () => 0.5,
  });
  await worker.start();
  return {
    storage,
    clock,
    store,
    worker,
    counters,
    append: async (...data) => {
      await storage.log.append('firehose/test', data.map((d) => ({ partitionKey: '', data: Buffer.from(d), arrivalMs: clock.now() })));
    },
  };
}

/** Lets the loop run whatever is due now (it reacts to appends and kicks asynchronously). */
async function settle(worker: DeliveryWorker): Promise<void> {
  worker.kick();
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('delivery loop', () => {
  it('flushes on the interval, naming the object by the oldest record\'s arrival', async () => {
    const r = await rig(s3Destination(128, 60));
    await r.append('first');
    r.clock.advance(30_000);
    await r.append('second');
    await settle(r.worker);
    assert.equal(r.store.objects.length, 0, 'neither limit is reached yet');
    assert.equal(r.counters.oldestPendingArrivalMs, START);
    r.clock.advance(30_000);
    await settle(r.worker);
    await waitFor(() => (r.store.objects.length === 1 ? true : undefined));
    const [object] = r.store.objects;
    assert.equal(object!.body.toString(), 'firstsecond');
    assert.match(object!.key, /^2026\/11\/28\/07\/ds-1-2026-11-28-07-59-58-[0-9a-f-]{36}$/);
    assert.equal(r.counters.deliveredRecords, 2);
    assert.equal(r.counters.oldestPendingArrivalMs, undefined);
    await r.worker.stop();
  });

  it('flushes on size before the interval, at most SizeInMBs per object', async () => {
    const r = await rig(s3Destination(1, 900));
    const big = 'x'.repeat(400 * 1024);
    await r.append(big, big);
    await settle(r.worker);
    assert.equal(r.store.objects.length, 0);
    await r.append(big);
    await waitFor(() => (r.store.objects.length === 1 ? true : undefined));
    assert.equal(r.store.objects[0]!.body.length, 2 * big.length);
    await settle(r.worker);
    assert.equal(r.store.objects.length, 1, 'the third record waits');
    await r.worker.stop();
  });

  it('flushes after firehoseFlushRecords records', async () => {
    const r = await rig(s3Destination(128, 900), { flushRecords: 2 });
    await r.append('a', 'b', 'c');
    await waitFor(() => (r.store.objects.length === 1 ? true : undefined));
    assert.equal(r.store.objects[0]!.body.toString(), 'ab');
    await r.worker.stop();
  });

  it('retries a failed write and records the failure', async () => {
    const r = await rig(s3Destination(128, 0));
    r.store.failuresLeft = 1;
    await r.append('retry me');
    await waitFor(() => (r.store.objects.length === 1 ? true : undefined));
    assert.equal(r.store.objects[0]!.body.toString(), 'retry me');
    assert.equal(r.counters.deliveryFailures, 1);
    assert.equal(r.counters.lastError?.message, 'S3 write failed: injected failure');
    assert.equal(r.counters.deliveredRecords, 1);
    await r.worker.stop();
  });

  it('resumes after the checkpoint: delivered records are not delivered again', async () => {
    const storage = createMemoryStorage(LOG);
    const clock = new ManualClock(START);
    const first = await rig(s3Destination(128, 900), { storage, clock, flushRecords: 2 });
    await first.append('one', 'two', 'three');
    await waitFor(() => (first.store.objects.length === 1 ? true : undefined));
    await first.worker.stop();
    const checkpoint = await storage.meta.get<{ nextCounter: number }>('firehose/checkpoints/test');
    assert.equal(checkpoint?.value.nextCounter, 2);

    const second = await rig(s3Destination(128, 0), { storage, clock });
    await waitFor(() => (second.store.objects.length === 1 ? true : undefined));
    assert.equal(second.store.objects[0]!.body.toString(), 'three');
    await second.worker.stop();
  });
});

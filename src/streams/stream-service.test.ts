import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { getRecords } from '../api/kinesis/get-records.js';
import { getShardIterator } from '../api/kinesis/get-shard-iterator.js';
import type { KinesisDeps } from '../api/kinesis/deps.js';
import type { RequestContext } from '../api/operation.js';
import { ManualClock } from '../domain/clock.js';
import { PageTokenCodec } from '../domain/page-token.js';
import { ShardIteratorCodec } from '../domain/shard-iterator.js';
import { createLimits } from '../limits/index.js';
import { defaultConfig, type ServerConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { createMemoryStorage } from '../storage/memory/index.js';
import type { Storage } from '../storage/types.js';
import { StreamService } from './stream-service.js';

const log = createLogger('silent');
/** Any property chain and any call on it is a no-op. */
const inert: unknown = new Proxy(function inertTarget() {}, { get: () => inert, apply: () => undefined });
const HOUR = 3_600_000;

function config(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...defaultConfig(), createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, ...overrides };
}

async function open(storage: Storage, clock: ManualClock, overrides: Partial<ServerConfig> = {}): Promise<StreamService> {
  return StreamService.open({ storage, config: config(overrides), clock, log, retentionIntervalMs: 0 });
}

describe('StreamService', () => {
  it('finishes a creation interrupted by a restart', async () => {
    const storage = createMemoryStorage(log);
    const clock = new ManualClock();
    const first = await open(storage, clock, { createStreamMs: 60_000 });
    await first.create({ name: 's', shardCount: 2, mode: 'PROVISIONED' });
    assert.equal(first.get('s')?.status, 'CREATING');
    await first.close();
    const second = await open(storage, clock, { createStreamMs: 60_000 });
    assert.equal(second.get('s')?.status, 'ACTIVE');
    assert.equal(second.get('s')?.shards.length, 2);
    await second.close();
  });

  it('finishes a deletion interrupted by a restart and drops the logs', async () => {
    const storage = createMemoryStorage(log);
    const clock = new ManualClock();
    const first = await open(storage, clock, { deleteStreamMs: 60_000 });
    const stream = await first.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await first.delete('s', false);
    assert.equal(first.get('s')?.status, 'DELETING');
    await first.close();
    const second = await open(storage, clock);
    assert.equal(second.get('s'), undefined);
    await assert.rejects(storage.log.bounds(stream.shards[0]!.logId), { name: 'LogNotFoundError' });
    await second.close();
  });

  it('gives each incarnation of a name its own uid and logs', async () => {
    const storage = createMemoryStorage(log);
    const service = await open(storage, new ManualClock());
    const a = await service.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    await service.delete('s', false);
    const b = await service.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    assert.notEqual(a.meta.uid, b.meta.uid);
    assert.notEqual(a.shards[0]!.logId, b.shards[0]!.logId);
    await service.close();
  });

  it('trims records older than the retention period on a retention pass', async () => {
    const storage = createMemoryStorage(log);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const service = await open(storage, clock);
    const stream = await service.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const shard = stream.shards[0]!;
    await service.append(shard, [{ partitionKey: 'k', data: Buffer.from('old'), arrivalMs: clock.now() }]);
    clock.advance(20 * HOUR);
    await service.append(shard, [{ partitionKey: 'k', data: Buffer.from('new'), arrivalMs: clock.now() }]);
    clock.advance(5 * HOUR);
    await service.runRetentionPass();
    const { records } = await service.read(shard, 0, { maxRecords: 10, maxBytes: 1 << 20 });
    assert.deepEqual(records.map((record) => Buffer.from(record.data).toString()), ['new']);
    await service.close();
  });

  it('drops a closed shard once its records have all expired', async () => {
    const storage = createMemoryStorage(log);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const service = await open(storage, clock);
    let stream = await service.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const parent = stream.shards[0]!;
    const children = await service.newShardMetas(stream, [
      { start: parent.start, end: parent.end / 2n, parentIndex: 0 },
      { start: parent.end / 2n + 1n, end: parent.end, parentIndex: 0 },
    ], stream.meta.nextShardIndex);
    stream = await service.mutate('s', (meta) => ({
      ...meta,
      nextShardIndex: meta.nextShardIndex + 2,
      shards: [...meta.shards.map((shard) => (shard.index === 0 ? { ...shard, closedAtMs: clock.now(), endCounter: 0 } : shard)), ...children],
    }));
    assert.deepEqual(stream.openShards.map((shard) => shard.id), ['shardId-000000000001', 'shardId-000000000002']);
    clock.advance(23 * HOUR);
    await service.runRetentionPass();
    assert.equal(service.get('s')?.shards.length, 3);
    clock.advance(2 * HOUR);
    await service.runRetentionPass();
    assert.deepEqual(service.get('s')?.shards.map((shard) => shard.id), ['shardId-000000000001', 'shardId-000000000002']);
    await service.close();
  });
});

describe('GetRecords on a closed shard', () => {
  it('returns ChildShards and no NextShardIterator once the shard is read to its end', async () => {
    const storage = createMemoryStorage(log);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const service = await open(storage, clock);
    const secret = randomBytes(32);
    const deps: KinesisDeps = {
      streams: service,
      config: config(),
      clock,
      log,
      iterators: new ShardIteratorCodec(secret),
      pageTokens: new PageTokenCodec(secret),
      limits: createLimits('off', clock, '000000000000'),
      // Subsystems the handlers only report to (metrics, fan-out) are inert here.
      controlPlane: inert,
      fanout: inert,
    } as unknown as KinesisDeps;
    const ctx = {} as RequestContext;
    let stream = await service.create({ name: 's', shardCount: 1, mode: 'PROVISIONED' });
    const parent = stream.shards[0]!;
    await service.append(parent, [1, 2, 3].map((i) => ({ partitionKey: 'k', data: Buffer.from(String(i)), arrivalMs: clock.now() })));
    const children = await service.newShardMetas(stream, [{ start: parent.start, end: parent.end, parentIndex: 0 }], 1);
    stream = await service.mutate('s', (meta) => ({
      ...meta,
      nextShardIndex: 2,
      shards: [...meta.shards.map((shard) => ({ ...shard, closedAtMs: clock.now(), endCounter: 3 })), ...children],
    }));
    const iterator = await getShardIterator(deps)({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }, ctx) as { ShardIterator: string };
    const first = await getRecords(deps)({ ShardIterator: iterator.ShardIterator, Limit: 2 }, ctx) as Record<string, unknown>;
    assert.equal((first.Records as unknown[]).length, 2);
    assert.ok(first.NextShardIterator);
    assert.equal(first.ChildShards, undefined);
    const last = await getRecords(deps)({ ShardIterator: first.NextShardIterator }, ctx) as Record<string, unknown>;
    assert.equal((last.Records as unknown[]).length, 1);
    assert.equal(last.NextShardIterator, undefined);
    assert.deepEqual(last.ChildShards, [{
      ShardId: 'shardId-000000000001',
      ParentShards: ['shardId-000000000000'],
      HashKeyRange: { StartingHashKey: '0', EndingHashKey: '340282366920938463463374607431768211455' },
    }]);
    const latest = await getShardIterator(deps)({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }, ctx) as { ShardIterator: string };
    const atEnd = await getRecords(deps)({ ShardIterator: latest.ShardIterator }, ctx) as Record<string, unknown>;
    assert.deepEqual(atEnd.Records, []);
    assert.equal(atEnd.NextShardIterator, undefined);
    assert.equal((atEnd.ChildShards as unknown[]).length, 1);
    await service.close();
  });
});

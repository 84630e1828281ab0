import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evenHashKeyRanges, HASH_KEY_MAX, partitionKeyHash } from '../../src/domain/hash-key.js';
import { hashKeyRangeMeta, StreamView, type ShardMeta, type StreamMeta } from '../../src/domain/stream.js';

function streamOf(shards: ShardMeta[]): StreamView {
  const meta: StreamMeta = {
    name: 's', uid: 'u', createdAtMs: 0, status: 'ACTIVE', statusChangedAtMs: 0, mode: 'PROVISIONED', retentionHours: 24,
    maxRecordSizeKiB: 1024, encryptionType: 'NONE', shardLevelMetrics: [], tags: {}, shards, nextShardIndex: shards.length,
  };
  return new StreamView(meta, 1, 'arn');
}

function shardsOf(ranges: { start: bigint; end: bigint }[], closed: number[] = []): ShardMeta[] {
  return ranges.map((range, index) => ({
    index, ...hashKeyRangeMeta(range), createdAtMs: 0, logId: `log-${index}`,
    ...(closed.includes(index) ? { closedAtMs: 1, endCounter: 0 } : {}),
  }));
}

/** The open shard whose range holds the key, by a plain scan. */
function scan(stream: StreamView, hashKey: bigint) {
  return stream.openShards.find((shard) => shard.start <= hashKey && hashKey <= shard.end);
}

describe('StreamView routing', () => {
  it('routes every range boundary to the shard that holds it', () => {
    for (const n of [1, 2, 3, 4, 7, 64]) {
      const stream = streamOf(shardsOf(evenHashKeyRanges(n)));
      for (const shard of stream.openShards) {
        for (const key of [shard.start, shard.end, shard.start + 1n, shard.end - 1n]) {
          if (key < 0n || key > HASH_KEY_MAX) continue;
          assert.equal(stream.route(key), shard, `${n} shards, key ${key}`);
        }
      }
    }
  });

  it('skips closed shards and routes by the open ones', () => {
    // Shard 0 was split into 2 and 3; shard 1 stays open.
    const half = (HASH_KEY_MAX + 1n) / 2n;
    const quarter = half / 2n;
    const shards = shardsOf([{ start: 0n, end: half - 1n }, { start: half, end: HASH_KEY_MAX }, { start: 0n, end: quarter - 1n }, { start: quarter, end: half - 1n }], [0]);
    const stream = streamOf(shards);
    assert.deepEqual(stream.openShards.map((shard) => shard.index), [2, 3, 1]);
    assert.equal(stream.route(quarter - 1n).index, 2);
    assert.equal(stream.route(quarter).index, 3);
    assert.equal(stream.route(half).index, 1);
  });

  it('routes a partition key as its MD5 hash key routes', () => {
    const uneven = [{ start: 0n, end: 5n }, { start: 6n, end: (1n << 100n) + 7n }, { start: (1n << 100n) + 8n, end: (0xfffffffen << 96n) }, { start: (0xfffffffen << 96n) + 1n, end: HASH_KEY_MAX }];
    for (const stream of [streamOf(shardsOf(evenHashKeyRanges(5))), streamOf(shardsOf(uneven))]) {
      for (let i = 0; i < 500; i++) {
        const key = `key-${i}-ü`.repeat(1 + (i % 9));
        assert.equal(stream.routePartitionKey(key), scan(stream, partitionKeyHash(key)), key);
      }
    }
  });
});

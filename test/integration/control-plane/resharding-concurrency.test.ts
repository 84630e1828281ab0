import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { readShardToEnd, recordTexts } from '../../helpers/kinesis.js';
import { kinesisClient, startTestServer } from '../../helpers/server.js';

const STREAM = 'busy';
const KEYS_PER_WRITER = 8;
const WRITERS = 4;

async function openShards(client: KinesisClient): Promise<Shard[]> {
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: STREAM, ShardFilter: { Type: 'AT_LATEST' } }));
  return Shards!.sort((a, b) => (BigInt(a.HashKeyRange!.StartingHashKey!) < BigInt(b.HashKeyRange!.StartingHashKey!) ? -1 : 1));
}

/** `slowCommitsMs` delays every metadata commit, so writers keep appending while a reshard
 * commits: the window in which a parent could otherwise lose or gain records. */
const BACKENDS = [
  { name: 'memory storage', durable: false, slowCommitsMs: 0 },
  { name: 'memory storage, slow metadata commits', durable: false, slowCommitsMs: 15 },
  { name: 'embedded storage', durable: true, slowCommitsMs: 0 },
] as const;

for (const backend of BACKENDS) describe(`resharding under concurrent writers (${backend.name})`, () => {
  it('loses and duplicates nothing and keeps per-key order across parents and children', async () => {
    const dataDir = backend.durable ? await mkdtemp(join(tmpdir(), 'runnel-reshard-')) : '';
    const server = await startTestServer(backend.durable ? { inMemory: false, dataDir, fsync: 'always', logLevel: 'warn' } : { logLevel: 'warn' });
    const client = kinesisClient(server.endpoint, { http1: true });
    if (backend.slowCommitsMs > 0) {
      const meta = server.app.storage.meta;
      const commit = meta.commit.bind(meta);
      meta.commit = async (ops) => {
        await new Promise((resolve) => setTimeout(resolve, backend.slowCommitsMs));
        return commit(ops);
      };
    }
    try {
      await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
      let writing = true;
      const written = new Map<string, number>();
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        const keys = Array.from({ length: KEYS_PER_WRITER }, (_, k) => `w${w}-k${k}`);
        for (const key of keys) written.set(key, 0);
        let round = 0;
        while (writing) {
          if (round % 2 === 0) {
            const records = keys.map((key) => ({ PartitionKey: key, Data: Buffer.from(`${key}:${written.get(key)}`) }));
            const reply = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records: records }));
            assert.equal(reply.FailedRecordCount, 0);
            for (const key of keys) written.set(key, written.get(key)! + 1);
          } else {
            for (const key of keys.slice(0, 2)) {
              await client.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: key, Data: Buffer.from(`${key}:${written.get(key)}`) }));
              written.set(key, written.get(key)! + 1);
            }
          }
          round++;
        }
      }).map((writer) => writer.catch((error: unknown) => { writing = false; throw error; }));
      const settledWriters = Promise.allSettled(writers);

      for (let step = 0; step < 6 && writing; step++) {
        const open = await openShards(client);
        const widest = open.reduce((a, b) =>
          BigInt(b.HashKeyRange!.EndingHashKey!) - BigInt(b.HashKeyRange!.StartingHashKey!) > BigInt(a.HashKeyRange!.EndingHashKey!) - BigInt(a.HashKeyRange!.StartingHashKey!) ? b : a);
        const middle = (BigInt(widest.HashKeyRange!.StartingHashKey!) + BigInt(widest.HashKeyRange!.EndingHashKey!)) / 2n;
        await client.send(new SplitShardCommand({ StreamName: STREAM, ShardToSplit: widest.ShardId!, NewStartingHashKey: middle.toString() }));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const after = await openShards(client);
        await client.send(new MergeShardsCommand({ StreamName: STREAM, ShardToMerge: after[0]!.ShardId!, AdjacentShardToMerge: after[1]!.ShardId! }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await client.send(new UpdateShardCountCommand({ StreamName: STREAM, TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      writing = false;
      for (const outcome of await settledWriters) if (outcome.status === 'rejected') throw outcome.reason;

      const { Shards } = await client.send(new ListShardsCommand({ StreamName: STREAM }));
      const byKey = new Map<string, number[]>();
      for (const shard of Shards!.sort((a, b) => a.ShardId!.localeCompare(b.ShardId!))) {
        for (const entry of recordTexts((await readShardToEnd(client, STREAM, shard.ShardId!)).records)) {
          const [key, n] = entry.split(':') as [string, string];
          if (!byKey.has(key)) byKey.set(key, []);
          byKey.get(key)!.push(Number(n));
        }
      }
      let total = 0;
      for (const [key, count] of written) {
        const seen = byKey.get(key) ?? [];
        total += count;
        assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i), `records of ${key}, read parents first, are complete, unique and in order`);
      }
      assert.ok(total > 100, `enough records written during resharding (${total})`);
      assert.ok(Shards!.length > 10);
    } finally {
      client.destroy();
      await server.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * Audit of issue 4, "resharding while subscribed" together with issue 3's "no record lost or
 * duplicated across a split or merge under concurrent writers": a consumer that follows the
 * shard lineage as KCL does (a shard's events until the one with ChildShards and no
 * ContinuationSequenceNumber, then each child once all its parents have ended, from
 * TRIM_HORIZON) receives every record exactly once and each partition key's records in the order
 * they were written, while writers keep writing through a split and then a merge.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListShardsCommand, MergeShardsCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { startTestServer, useServerAndClient } from '../helpers/server.js';
import { EventReader, fanoutClient, streamWithConsumer } from '../integration/fanout/helpers.js';

const WRITERS = 4;
const KEYS_PER_WRITER = 2;
const CALLS_PER_WRITER = 60;
const RECORDS_PER_CALL = 10;
const TOTAL = WRITERS * CALLS_PER_WRITER * RECORDS_PER_CALL;

describe('audit: a fan-out consumer across a split and a merge under concurrent writers', () => {
  const t = useServerAndClient(() => startTestServer(), (server) => fanoutClient(server.endpoint, 'http2'));

  it('delivers every record once, in per-key order, following ChildShards', async () => {
    const { streamName, consumerArn } = await streamWithConsumer(t.client, 'lineage-under-load');
    const received: string[] = [];
    const ended = new Set<string>();
    const started = new Set<string>();
    const readers = new Set<EventReader>();
    const tasks: Promise<void>[] = [];
    let stopping = false;

    const follow = (shardId: string): void => {
      started.add(shardId);
      tasks.push((async () => {
        const reader = await EventReader.open(t.client, consumerArn, { Type: 'TRIM_HORIZON' }, shardId);
        readers.add(reader);
        for (;;) {
          const event = await reader.next().catch((err: unknown) => {
            if (stopping) return undefined;
            throw err;
          });
          if (event === undefined) {
            if (!stopping) assert.fail(`the subscription to ${shardId} ended without ChildShards`);
            return;
          }
          for (const record of event.Records ?? []) received.push(Buffer.from(record.Data!).toString());
          if (event.ContinuationSequenceNumber === undefined) {
            assert.ok(event.ChildShards && event.ChildShards.length > 0, `${shardId} ended without ChildShards`);
            ended.add(shardId);
            for (const child of event.ChildShards) {
              const parentsDone = child.ParentShards!.every((parent) => ended.has(parent));
              if (parentsDone && !started.has(child.ShardId!)) follow(child.ShardId!);
            }
            await reader.close();
            readers.delete(reader);
            return;
          }
        }
      })());
    };
    follow('shardId-000000000000');

    let written = 0;
    const writer = async (w: number) => {
      const counters = new Array<number>(KEYS_PER_WRITER).fill(0);
      for (let call = 0; call < CALLS_PER_WRITER; call++) {
        const Records = Array.from({ length: RECORDS_PER_CALL }, (_, i) => {
          const slot = i % KEYS_PER_WRITER;
          const key = `key-${w}-${slot}`;
          return { PartitionKey: key, Data: Buffer.from(`${key}:${counters[slot]!++}`) };
        });
        const reply = await t.client.send(new PutRecordsCommand({ StreamName: streamName, Records }));
        assert.equal(reply.FailedRecordCount, 0);
        written += RECORDS_PER_CALL;
      }
    };
    const untilWritten = async (count: number) => {
      while (written < count) await new Promise((resolve) => setTimeout(resolve, 1));
    };
    const reshard = async () => {
      await untilWritten(TOTAL / 3);
      await t.client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
      await untilWritten((2 * TOTAL) / 3);
      await t.client.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    };
    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), reshard()]);

    const deadline = Date.now() + 30_000;
    while (received.length < TOTAL && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    stopping = true;
    for (const reader of readers) await reader.close();
    await Promise.all(tasks);

    const shards = (await t.client.send(new ListShardsCommand({ StreamName: streamName }))).Shards!;
    assert.deepEqual(shards.map((shard) => shard.ShardId), [0, 1, 2, 3].map((i) => `shardId-00000000000${i}`));
    assert.deepEqual([...ended].sort(), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    assert.equal(new Set(received).size, received.length, 'no record arrived twice');
    assert.equal(received.length, TOTAL, 'every record arrived');
    const perKey = new Map<string, number[]>();
    for (const entry of received) {
      const [key, n] = entry.split(':') as [string, string];
      perKey.set(key, [...(perKey.get(key) ?? []), Number(n)]);
    }
    for (const [key, counters] of perKey) {
      assert.deepEqual(counters, counters.map((_, i) => i), `${key} arrived in the order written`);
    }
  });
});

/** Reading and listing around a split: closed shards end with ChildShards, and ListShards'
 * filters tell open and closed shards apart. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
  type ShardFilter,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { useServer } from './helpers.js';

const PARENT = 'shardId-000000000000';
const HALF = (1n << 127n).toString();

describe('closed shards', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });

  async function splitStream() {
    const StreamName = await t.createStream();
    await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('before') }));
    clock.advance(60_000);
    const splitAt = clock.now();
    await t.client.send(new SplitShardCommand({ StreamName, ShardToSplit: PARENT, NewStartingHashKey: HALF }));
    let status: string | undefined;
    do {
      status = (await t.client.send(new DescribeStreamCommand({ StreamName }))).StreamDescription?.StreamStatus;
    } while (status !== 'ACTIVE');
    clock.advance(60_000);
    return { StreamName, splitAt };
  }

  it('ends the parent with ChildShards and no NextShardIterator', async () => {
    const { StreamName } = await splitStream();
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: PARENT, ShardIteratorType: 'TRIM_HORIZON' }));
    let iterator = ShardIterator;
    const data: string[] = [];
    let last;
    for (let i = 0; i < 10 && iterator; i++) {
      last = await t.client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      data.push(...last.Records!.map((record) => Buffer.from(record.Data!).toString()));
      iterator = last.NextShardIterator;
    }
    assert.deepEqual(data, ['before']);
    assert.equal(iterator, undefined, 'the closed parent ends');
    assert.deepEqual(last?.ChildShards?.map((child) => [child.ShardId, child.ParentShards]), [
      ['shardId-000000000001', [PARENT]],
      ['shardId-000000000002', [PARENT]],
    ]);
  });

  it('describes the parent with an EndingSequenceNumber and routes new records to the children', async () => {
    const { StreamName } = await splitStream();
    const { StreamDescription } = await t.client.send(new DescribeStreamCommand({ StreamName }));
    const parent = StreamDescription!.Shards!.find((shard) => shard.ShardId === PARENT)!;
    assert.match(parent.SequenceNumberRange!.EndingSequenceNumber!, /^\d{56}$/);
    const put = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('after') }));
    assert.notEqual(put.ShardId, PARENT);
  });

  it('applies ShardFilter types to open and closed shards', async () => {
    const { StreamName, splitAt } = await splitStream();
    const ids = async (ShardFilter: ShardFilter | undefined) =>
      (await t.client.send(new ListShardsCommand({ StreamName, ShardFilter }))).Shards?.map((shard) => shard.ShardId);
    const all = [PARENT, 'shardId-000000000001', 'shardId-000000000002'];
    const children = ['shardId-000000000001', 'shardId-000000000002'];
    assert.deepEqual(await ids(undefined), all);
    assert.deepEqual(await ids({ Type: 'FROM_TRIM_HORIZON' }), all);
    assert.deepEqual(await ids({ Type: 'AT_TRIM_HORIZON' }), [PARENT]);
    assert.deepEqual(await ids({ Type: 'AT_LATEST' }), children);
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(splitAt - 30_000) }), [PARENT]);
    assert.deepEqual(await ids({ Type: 'AT_TIMESTAMP', Timestamp: new Date(splitAt + 30_000) }), children);
    assert.deepEqual(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(splitAt - 30_000) }), all);
    assert.deepEqual(await ids({ Type: 'FROM_TIMESTAMP', Timestamp: new Date(splitAt + 30_000) }), children);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

async function readAll(client: KinesisClient, StreamName: string, ShardId: string) {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  return (await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }))).Records ?? [];
}

describe('PutRecords', () => {
  const t = useServer();

  describe('validations', () => {
    it('refuses more than 500 records', async () => {
      const StreamName = await t.createStream();
      const Records = Array.from({ length: 501 }, () => ({ PartitionKey: 'a', Data: Buffer.from('x') }));
      await assertAwsError(t.client.send(new PutRecordsCommand({ StreamName, Records })), 'ValidationException',
        /Member must have length less than or equal to 500/);
    });

    it('refuses a batch over 10 MiB including partition keys', async () => {
      const StreamName = await t.createStream({ MaxRecordSizeInKiB: 10240 });
      const Records = [
        { PartitionKey: 'a', Data: Buffer.alloc(5 * 1024 * 1024) },
        { PartitionKey: 'b', Data: Buffer.alloc(5 * 1024 * 1024 - 1) },
      ];
      await assertAwsError(t.client.send(new PutRecordsCommand({ StreamName, Records })), 'InvalidArgumentException', 'Records size exceeds 10 MB limit');
      Records[1]!.Data = Buffer.alloc(5 * 1024 * 1024 - 2);
      const ok = await t.client.send(new PutRecordsCommand({ StreamName, Records }));
      assert.equal(ok.FailedRecordCount, 0);
    });

    it('fails the whole call for one out-of-range ExplicitHashKey', async () => {
      const StreamName = await t.createStream();
      const key = (1n << 128n).toString();
      await assertAwsError(t.client.send(new PutRecordsCommand({
        StreamName,
        Records: [{ PartitionKey: 'a', Data: Buffer.from('ok') }, { PartitionKey: 'b', Data: Buffer.from('bad'), ExplicitHashKey: key }],
      })), 'InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${key}`);
      assert.equal((await readAll(t.client, StreamName, 'shardId-000000000000')).length, 0, 'nothing was written');
    });

    it('answers ResourceNotFound for a missing stream', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: Buffer.from('x') }] })),
        'ResourceNotFoundException', `Stream ${StreamName} under account ${ACCOUNT} not found.`);
    });
  });

  describe('functionality', () => {
    it('returns one result per record, in request order, across shards', async () => {
      const StreamName = await t.createStream({ ShardCount: 4 });
      const Records = Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: Buffer.from(`value-${i}`) }));
      const result = await t.client.send(new PutRecordsCommand({ StreamName, Records }));
      assert.equal(result.FailedRecordCount, 0);
      assert.equal(result.Records?.length, 100);
      const shards = new Set(result.Records!.map((record) => record.ShardId));
      assert.ok(shards.size > 1);
      for (const shardId of shards) {
        const stored = await readAll(t.client, StreamName, shardId!);
        const expected: { sequenceNumber: string; index: number }[] = [];
        result.Records!.forEach((entry, index) => { if (entry.ShardId === shardId) expected.push({ sequenceNumber: entry.SequenceNumber!, index }); });
        assert.deepEqual(stored.map((record) => record.SequenceNumber), expected.map((entry) => entry.sequenceNumber));
        assert.deepEqual(stored.map((record) => Buffer.from(record.Data!).toString()), expected.map((entry) => `value-${entry.index}`));
      }
    });

    it('keeps per-key order under concurrent writers', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      const writers = Array.from({ length: 8 }, (_, writer) => (async () => {
        for (let batch = 0; batch < 10; batch++) {
          const Records = Array.from({ length: 20 }, (_, i) => ({ PartitionKey: `w${writer}`, Data: Buffer.from(`${writer}:${batch * 20 + i}`) }));
          const result = await t.client.send(new PutRecordsCommand({ StreamName, Records }));
          assert.equal(result.FailedRecordCount, 0);
        }
      })());
      await Promise.all(writers);
      const seen = new Map<string, number>();
      let total = 0;
      for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
        let { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
        for (;;) {
          const page = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator!, Limit: 97 }));
          for (const record of page.Records!) {
            const [writer, index] = Buffer.from(record.Data!).toString().split(':');
            const previous = seen.get(writer!) ?? -1;
            assert.equal(Number(index), previous + 1, `writer ${writer} out of order`);
            seen.set(writer!, Number(index));
            total += 1;
          }
          if (page.Records!.length === 0) break;
          ShardIterator = page.NextShardIterator;
        }
      }
      assert.equal(total, 8 * 10 * 20);
    });
  });
});

/** The core produce/consume flow over both transports the SDK uses: HTTP/2 (its default for
 * Kinesis) and HTTP/1.1. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { useKinesisServer } from '../../helpers/server.js';

for (const transport of ['http2', 'http1'] as const) {
  describe(`core flow over ${transport}`, () => {
    const t = useKinesisServer({}, { http1: transport === 'http1' });

    it('creates a stream, writes records and reads them back in order', async () => {
      const StreamName = `core-${transport}`;
      await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
      const described = await t.client.send(new DescribeStreamCommand({ StreamName }));
      assert.equal(described.StreamDescription?.StreamStatus, 'ACTIVE');
      assert.equal(described.StreamDescription?.Shards?.length, 2);

      const single = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('first') }));
      assert.match(single.SequenceNumber!, /^\d{56}$/);
      const batch = await t.client.send(new PutRecordsCommand({
        StreamName,
        Records: Array.from({ length: 20 }, (_, i) => ({ PartitionKey: 'a', Data: Buffer.from(`r${i}`) })),
      }));
      assert.equal(batch.FailedRecordCount, 0);
      assert.ok(batch.Records!.every((record) => record.ShardId === single.ShardId));

      const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: single.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const read = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
      assert.deepEqual(read.Records!.map((record) => Buffer.from(record.Data!).toString()), ['first', ...Array.from({ length: 20 }, (_, i) => `r${i}`)]);
      assert.equal(read.Records![0]!.SequenceNumber, single.SequenceNumber);
      assert.equal(read.MillisBehindLatest, 0);
      assert.ok(read.NextShardIterator);

      const shards = await t.client.send(new ListShardsCommand({ StreamName }));
      assert.deepEqual(shards.Shards!.map((shard) => shard.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
    });
  });
}

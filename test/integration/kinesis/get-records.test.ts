import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { javaDateString } from '../../../src/domain/java-date.js';
import { ACCOUNT, assertAwsError, rawCborCall, rawJsonCall, useServer } from './helpers.js';

const SHARD = 'shardId-000000000000';

describe('GetRecords', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });

  async function iterator(StreamName: string, ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') {
    return (await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType }))).ShardIterator!;
  }

  describe('validations', () => {
    it('answers InvalidArgument for iterators it did not issue', async () => {
      const StreamName = await t.createStream();
      const good = await iterator(StreamName);
      const tampered = Buffer.from(good, 'base64');
      tampered[12] = tampered[12]! ^ 0xff;
      for (const ShardIterator of ['x', 'AAAAAAAAAAEAAAAAAAAAAQ==', tampered.toString('base64'), good.slice(0, -4), `${good}AAAA`]) {
        await assertAwsError(t.client.send(new GetRecordsCommand({ ShardIterator })), 'InvalidArgumentException', 'Invalid ShardIterator.');
      }
    });

    it('refuses a Limit above 10000', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new GetRecordsCommand({ ShardIterator: await iterator(StreamName), Limit: 10001 })), 'ValidationException',
        /Member must have value less than or equal to 10000/);
    });

    it('expires iterators after 300 seconds with AWS\'s message', async () => {
      const StreamName = await t.createStream();
      const issuedAt = clock.now();
      const ShardIterator = await iterator(StreamName);
      clock.advance(300_000);
      await t.client.send(new GetRecordsCommand({ ShardIterator }));
      clock.advance(1);
      await assertAwsError(t.client.send(new GetRecordsCommand({ ShardIterator })), 'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${javaDateString(issuedAt)} while right now it is ${javaDateString(clock.now())} which is further in the future than the tolerated delay of 300000 milliseconds.`);
    });

    it('answers ResourceNotFound once the stream is gone, also after re-creation under the same name', async () => {
      const StreamName = await t.createStream();
      const ShardIterator = await iterator(StreamName);
      await t.client.send(new DeleteStreamCommand({ StreamName }));
      const message = `Shard ${SHARD} in stream ${StreamName} under account ${ACCOUNT} does not exist`;
      await assertAwsError(t.client.send(new GetRecordsCommand({ ShardIterator })), 'ResourceNotFoundException', message);
      await t.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
      await assertAwsError(t.client.send(new GetRecordsCommand({ ShardIterator })), 'ResourceNotFoundException', message);
    });
  });

  describe('functionality', () => {
    it('pages with Limit and NextShardIterator, and reports MillisBehindLatest', async () => {
      const StreamName = await t.createStream();
      for (let i = 0; i < 5; i++) {
        await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(String(i)) }));
        clock.advance(1000);
      }
      const first = await t.client.send(new GetRecordsCommand({ ShardIterator: await iterator(StreamName), Limit: 2 }));
      assert.deepEqual(first.Records!.map((record) => Buffer.from(record.Data!).toString()), ['0', '1']);
      assert.equal(first.MillisBehindLatest, 3000);
      const second = await t.client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator!, Limit: 10 }));
      assert.deepEqual(second.Records!.map((record) => Buffer.from(record.Data!).toString()), ['2', '3', '4']);
      assert.equal(second.MillisBehindLatest, 0);
      const third = await t.client.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator! }));
      assert.deepEqual(third.Records, []);
      assert.ok(third.NextShardIterator, 'an open shard always gives a next iterator');
    });

    it('returns the arrival time of each record', async () => {
      const StreamName = await t.createStream();
      const at = clock.now();
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') }));
      const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator: await iterator(StreamName) }));
      assert.equal(Records![0]!.ApproximateArrivalTimestamp?.getTime(), at);
    });

    it('accepts an iterator wrapped in double quotes', async () => {
      const StreamName = await t.createStream();
      const result = await t.client.send(new GetRecordsCommand({ ShardIterator: `"${await iterator(StreamName)}"` }));
      assert.deepEqual(result.Records, []);
    });

    it('stops a reply at 10 MiB and continues from there', async () => {
      const StreamName = await t.createStream({ MaxRecordSizeInKiB: 4096 });
      const Data = Buffer.alloc(3 * 1024 * 1024, 7);
      await t.client.send(new PutRecordsCommand({ StreamName, Records: [1, 2, 3].map(() => ({ PartitionKey: 'k', Data })) }));
      await t.client.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'k', Data }] }));
      const first = await t.client.send(new GetRecordsCommand({ ShardIterator: await iterator(StreamName) }));
      assert.equal(first.Records?.length, 3);
      const second = await t.client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator! }));
      assert.equal(second.Records?.length, 1);
    });

    it('LATEST sees only records written after it', async () => {
      const StreamName = await t.createStream();
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('before') }));
      const ShardIterator = await iterator(StreamName, 'LATEST');
      await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('after') }));
      const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator }));
      assert.deepEqual(Records!.map((record) => Buffer.from(record.Data!).toString()), ['after']);
    });
  });
});

describe('GetRecords serializations', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 250));
  const t = useServer({}, { clock });

  async function iteratorWithOneRecord(data: Buffer): Promise<string> {
    const StreamName = await t.createStream();
    await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: data }));
    return (await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
  }

  it('answers JSON with base64 Data and epoch-second arrival times', async () => {
    const ShardIterator = await iteratorWithOneRecord(Buffer.from('hello'));
    const response = await rawJsonCall(t.server.endpoint, 'GetRecords', { ShardIterator });
    const body = response.json();
    assert.equal(body.Records[0].Data, Buffer.from('hello').toString('base64'));
    assert.equal(body.Records[0].ApproximateArrivalTimestamp, Date.UTC(2026, 0, 1, 0, 0, 0, 250) / 1000);
    assert.equal(body.MillisBehindLatest, 0);
    assert.equal(typeof body.NextShardIterator, 'string');
  });

  it('answers CBOR with byte-string Data and millisecond timestamps', async () => {
    const ShardIterator = await iteratorWithOneRecord(Buffer.from([9, 8, 7]));
    const response = await rawCborCall(t.server.endpoint, 'GetRecords', { ShardIterator });
    assert.equal(response.status, 200);
    const record = response.body.Records[0];
    assert.deepEqual(Buffer.from(record.Data), Buffer.from([9, 8, 7]));
    const arrival = record.ApproximateArrivalTimestamp;
    assert.equal(arrival instanceof Date ? arrival.getTime() : arrival, Date.UTC(2026, 0, 1, 0, 0, 0, 250));
  });
});

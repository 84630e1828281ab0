import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { ACCOUNT, assertAwsError, useServer } from './helpers.js';

const RULE = 'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified';

describe('GetShardIterator', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useServer({}, { clock });
  const SHARD = 'shardId-000000000000';

  async function put(StreamName: string, text: string) {
    return t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(text) }));
  }
  async function readWith(StreamName: string, type: ShardIteratorType, extra: { StartingSequenceNumber?: string; Timestamp?: Date } = {}) {
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: type, ...extra }));
    const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
    return Records!.map((record) => Buffer.from(record.Data!).toString());
  }

  describe('validations', () => {
    it('refuses an unknown iterator type', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'NOPE' as ShardIteratorType })),
        'ValidationException', /Member must satisfy enum value set: \[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON\]/);
    });

    it('answers for a shard id it cannot parse and for a missing shard', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-abc', ShardIteratorType: 'LATEST' })),
        'ResourceNotFoundException', `Could not find shard shardId-abc in stream ${StreamName} under account ${ACCOUNT}.`);
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-5', ShardIteratorType: 'LATEST' })),
        'ResourceNotFoundException', `Shard shardId-000000000005 in stream ${StreamName} under account ${ACCOUNT} does not exist`);
    });

    it('answers for a missing stream with the shard message', async () => {
      const StreamName = t.name('missing');
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'LATEST' })),
        'ResourceNotFoundException', `Shard ${SHARD} in stream ${StreamName} under account ${ACCOUNT} does not exist`);
    });

    it('checks that the type and StartingSequenceNumber go together', async () => {
      const StreamName = await t.createStream();
      const { SequenceNumber } = await put(StreamName, 'a');
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
        'InvalidArgumentException', `${RULE} AT_SEQUENCE_NUMBER and no StartingSequenceNumber.`);
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'LATEST', StartingSequenceNumber: SequenceNumber })),
        'InvalidArgumentException', `${RULE} LATEST and also a StartingSequenceNumber.`);
    });

    it('refuses sequence numbers that are malformed, of another shard or of another stream', async () => {
      const StreamName = await t.createStream({ ShardCount: 2 });
      const other = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'b', Data: Buffer.from('x') }));
      assert.equal(other.ShardId, 'shardId-000000000001');
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '12345' })),
        'InvalidArgumentException', `StartingSequenceNumber 12345 used in GetShardIterator on shard ${SHARD} in stream ${StreamName} under account ${ACCOUNT} is invalid.`);
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: other.SequenceNumber })),
        'InvalidArgumentException', `Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with ${SHARD}`);
      clock.advance(5000);
      const later = await t.createStream();
      const foreign = await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'a', Data: Buffer.from('y') }));
      assert.equal(foreign.ShardId, SHARD);
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName: later, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: foreign.SequenceNumber })),
        'InvalidArgumentException', `StartingSequenceNumber ${foreign.SequenceNumber} used in GetShardIterator on shard ${SHARD} in stream ${later} under account ${ACCOUNT} is invalid because it did not come from this stream.`);
    });

    it('needs a Timestamp for AT_TIMESTAMP, not in the future', async () => {
      const StreamName = await t.createStream();
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP' })),
        'InvalidArgumentException', 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
      const future = clock.now() + 60_000;
      await assertAwsError(t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(future) })),
        'InvalidArgumentException', `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${future}, currentTimestampInMillis: ${clock.now()}`);
    });
  });

  describe('functionality', () => {
    it('positions each of the five iterator types', async () => {
      const StreamName = await t.createStream();
      const a = await put(StreamName, 'a');
      clock.advance(2000);
      const middle = new Date(clock.now());
      const b = await put(StreamName, 'b');
      clock.advance(2000);
      await put(StreamName, 'c');
      assert.deepEqual(await readWith(StreamName, 'TRIM_HORIZON'), ['a', 'b', 'c']);
      assert.deepEqual(await readWith(StreamName, 'LATEST'), []);
      assert.deepEqual(await readWith(StreamName, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: b.SequenceNumber! }), ['b', 'c']);
      assert.deepEqual(await readWith(StreamName, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: a.SequenceNumber! }), ['b', 'c']);
      assert.deepEqual(await readWith(StreamName, 'AT_TIMESTAMP', { Timestamp: middle }), ['b', 'c']);
      assert.deepEqual(await readWith(StreamName, 'AT_TIMESTAMP', { Timestamp: new Date(0) }), ['a', 'b', 'c']);
    });

    it('answers AT_TIMESTAMP past the last record at once, and the iterator sees later records', async () => {
      const StreamName = await t.createStream();
      await put(StreamName, 'old');
      clock.advance(1000);
      const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(clock.now()) }));
      const empty = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
      assert.deepEqual(empty.Records, []);
      await put(StreamName, 'new');
      const next = await t.client.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator! }));
      assert.deepEqual(next.Records!.map((record) => Buffer.from(record.Data!).toString()), ['new']);
    });

    it('answers AT_TIMESTAMP on an empty shard with an iterator at the tip', async () => {
      const StreamName = await t.createStream();
      assert.deepEqual(await readWith(StreamName, 'AT_TIMESTAMP', { Timestamp: new Date(clock.now()) }), []);
    });

    it('resolves loose shard ids and accepts a StreamARN', async () => {
      const StreamName = await t.createStream();
      await put(StreamName, 'a');
      for (const ShardId of ['shardId-0', 'shard-0', '0']) {
        const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamARN: t.arn(StreamName), ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
        const { Records } = await t.client.send(new GetRecordsCommand({ ShardIterator: ShardIterator! }));
        assert.equal(Records?.length, 1, ShardId);
      }
    });
  });
});

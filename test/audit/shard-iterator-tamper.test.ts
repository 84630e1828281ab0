/**
 * Any change to a shard iterator, however small, is a 400 InvalidArgumentException
 * `Invalid ShardIterator.`, never a 500 and never a read of another position. (Changes to the
 * base64 text that decode to the same bytes, such as dropped padding, are the same iterator.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { rawJsonCall, useServer } from '../integration/kinesis/helpers.js';

describe('tampered shard iterators', () => {
  const t = useServer();

  it('answer InvalidArgumentException for every flipped bit, truncation and extension', async () => {
    const StreamName = await t.createStream({ ShardCount: 1 });
    await t.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('secret') }));
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const bytes = Buffer.from(ShardIterator!, 'base64');
    const variants: string[] = [];
    for (let index = 0; index < bytes.length; index++) {
      for (const bit of [0x01, 0x80]) {
        const changed = Buffer.from(bytes);
        changed[index]! ^= bit;
        variants.push(changed.toString('base64'));
      }
    }
    for (let length = 1; length < bytes.length; length += 7) variants.push(bytes.subarray(0, length).toString('base64'));
    variants.push(Buffer.concat([bytes, Buffer.from([0])]).toString('base64'), ShardIterator!.toLowerCase());

    const outcomes = new Map<string, number>();
    for (const variant of variants) {
      const response = await rawJsonCall(t.server.endpoint, 'GetRecords', { ShardIterator: variant });
      const body = response.json();
      const outcome = `${response.status} ${body.__type} ${body.message}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.deepEqual([...outcomes.keys()], ['400 InvalidArgumentException Invalid ShardIterator.']);

    const untouched = await rawJsonCall(t.server.endpoint, 'GetRecords', { ShardIterator });
    assert.equal(untouched.status, 200);
    assert.equal(Buffer.from(untouched.json().Records[0].Data, 'base64').toString(), 'secret');
  });
});

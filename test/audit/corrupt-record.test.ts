/**
 * A record whose stored bytes fail their checksum is never served: GetRecords answers a bare
 * 500 InternalFailure (no message, no details), and the records before it are still readable.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../src/domain/clock.js';
import { rawJsonCall } from '../integration/kinesis/helpers.js';
import { segmentFiles, startDurableServer } from './durable-server.js';

describe('a corrupt stored record', () => {
  it('is answered with 500 InternalFailure without details, never served', async (t) => {
    const durable = await startDurableServer(t, new ManualClock(Date.UTC(2026, 5, 1)));
    const StreamName = 'corrupt-record';
    await durable.client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    for (const text of ['first-record-payload', 'second-record-payload', 'third-record-payload']) {
      await durable.client.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from(text) }));
    }
    await durable.stop();

    const [segment] = await segmentFiles(durable.dataDir);
    const bytes = await readFile(segment!.path);
    const at = bytes.indexOf('second-record-payload');
    assert.ok(at > 0, 'the payload is stored as written');
    bytes[at + 3]! ^= 0x01;
    await writeFile(segment!.path, bytes);

    await durable.restart(new ManualClock(Date.UTC(2026, 5, 1)));
    const { ShardIterator } = await durable.client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    const first = await durable.client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    assert.deepEqual(first.Records!.map((record) => Buffer.from(record.Data!).toString()), ['first-record-payload']);

    const raw = await rawJsonCall(durable.server.endpoint, 'GetRecords', { ShardIterator: first.NextShardIterator });
    assert.equal(raw.status, 500);
    assert.equal(raw.headers['x-amzn-errortype'], 'InternalFailure');
    assert.ok(raw.headers['x-amzn-requestid']);
    assert.deepEqual(raw.json(), { __type: 'InternalFailure' });

    await assert.rejects(durable.client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator })), (err: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'InternalFailure');
      assert.equal(err.$metadata?.httpStatusCode, 500);
      return true;
    });
  });
});

/**
 * boto3 reads SubscribeToShard over HTTP/1.1 with a chunked body. Skipped (with the reason) where
 * python3 with boto3 is not installed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { useKinesisServer } from '../../helpers/server.js';
import { streamWithConsumer } from './helpers.js';

const run = promisify(execFile);

/** Debian's interpreter, where `apt-get install python3-boto3` puts boto3 (PATH may hold another). */
const PYTHON = '/usr/bin/python3';

function boto3Missing(): string | false {
  try {
    execFileSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'python3 with boto3 is not installed';
  }
}

/** Subscribes from TRIM_HORIZON and prints each event's record data and continuation as JSON
 * lines until `count` records arrived. */
const SUBSCRIBER = `
import json, sys, boto3
endpoint, consumer_arn, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = boto3.client('kinesis', endpoint_url=endpoint, region_name='us-east-1',
                      aws_access_key_id='AKIDTEST', aws_secret_access_key='test-secret')
response = client.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId='shardId-000000000000',
                                     StartingPosition={'Type': 'TRIM_HORIZON'})
seen = 0
for event in response['EventStream']:
    shard_event = event['SubscribeToShardEvent']
    records = [record['Data'].decode() for record in shard_event['Records']]
    print(json.dumps({'records': records, 'continuation': shard_event.get('ContinuationSequenceNumber')}), flush=True)
    seen += len(records)
    if seen >= count:
        break
`;

describe('SubscribeToShard with boto3 (HTTP/1.1 chunked)', { skip: boto3Missing() }, () => {
  const suite = useKinesisServer({}, { http1: true });

  it('receives the records and continuation numbers', async () => {
    const { client, server } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, 'boto3');
    const written = [];
    for (const text of ['alpha', 'beta']) {
      written.push(await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from(text) })));
    }
    const { stdout } = await run(PYTHON, ['-c', SUBSCRIBER, server.endpoint, consumerArn, '2'], { timeout: 60_000 });
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { records: string[]; continuation: string });
    assert.deepEqual(events.flatMap((event) => event.records), ['alpha', 'beta']);
    assert.equal(events.at(-1)!.continuation, written.at(-1)!.SequenceNumber);
  });
});

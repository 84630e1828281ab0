/**
 * Pushed records are the stored records, whichever way the server got them: caught-up subscribers
 * are served from the window of recent appends, others from the log. Checked against GetRecords on
 * both storage backends, with and without encryption at rest, with batches below and above the
 * window's bound, and with a subscriber that starts in the past and catches up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  StartStreamEncryptionCommand,
  type KinesisClient,
  type _Record as KinesisRecord,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startTestServer, useServerAndClient } from '../../helpers/server.js';
import { EventReader, streamWithConsumer } from './helpers.js';

const SHARD = 'shardId-000000000000';

/** What a consumer can compare between a pushed record and a GetRecords record. */
function comparable(record: KinesisRecord): unknown {
  return {
    SequenceNumber: record.SequenceNumber,
    PartitionKey: record.PartitionKey,
    Data: Buffer.from(record.Data!).toString('base64'),
    ApproximateArrivalTimestamp: record.ApproximateArrivalTimestamp!.getTime(),
    EncryptionType: record.EncryptionType,
  };
}

async function storedRecords(client: KinesisClient, streamName: string, count: number): Promise<KinesisRecord[]> {
  let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }));
  const records: KinesisRecord[] = [];
  while (records.length < count && iterator) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...page.Records!);
    iterator = page.NextShardIterator;
  }
  return records;
}

/** Writes single records and batches, small and larger than the recent window (256 KiB). */
async function writeMix(client: KinesisClient, streamName: string, round: number): Promise<number> {
  let written = 0;
  for (let i = 0; i < 5; i++) {
    await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: `single-${round}-${i}`, Data: Buffer.from(`single ${round} ${i}`) }));
    written++;
  }
  const small = Array.from({ length: 20 }, (_, i) => ({ PartitionKey: `small-${i}`, Data: Buffer.alloc(100 + i, round * 20 + i) }));
  await client.send(new PutRecordsCommand({ StreamName: streamName, Records: small }));
  written += small.length;
  const large = Array.from({ length: 4 }, (_, i) => ({ PartitionKey: `large-${i}`, Data: Buffer.alloc(100 * 1024, i + round) }));
  await client.send(new PutRecordsCommand({ StreamName: streamName, Records: large }));
  return written + large.length;
}

async function pushed(reader: EventReader, count: number): Promise<KinesisRecord[]> {
  const events = await reader.untilRecords(count);
  return events.flatMap((event) => event.Records!);
}

for (const storage of ['memory', 'embedded'] as const) {
  for (const encrypted of [false, true]) {
    describe(`pushed records equal stored records (${storage} storage${encrypted ? ', encrypted at rest' : ''})`, () => {
      let dataDir: string | undefined;
      const suite = useServerAndClient(async () => {
        if (storage === 'embedded') dataDir = await mkdtemp(path.join(os.tmpdir(), 'runnel-push-records-'));
        return startTestServer(dataDir ? { inMemory: false, dataDir, fsync: 'always' } : {});
      }, (server) => kinesisClient(server.endpoint));
      // Registered after the suite's server hooks, so it runs once the server is closed.
      after(async () => {
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
      });

      it('a caught-up subscriber and one starting at TRIM_HORIZON get the same records as GetRecords', async () => {
        const { client } = suite;
        const streamName = `push-${storage}-${encrypted ? 'kms' : 'plain'}`;
        const { consumerArn, streamArn } = await streamWithConsumer(client, streamName);
        const { Consumer: later } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'later' }));
        if (encrypted) await client.send(new StartStreamEncryptionCommand({ StreamName: streamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));

        const live = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
        assert.deepEqual((await live.next())?.Records, []);
        const firstRound = await writeMix(client, streamName, 1);
        const livePushed = await pushed(live, firstRound);

        const late = await EventReader.open(client, later!.ConsumerARN!, { Type: 'TRIM_HORIZON' });
        const latePushed = await pushed(late, firstRound);
        const secondRound = await writeMix(client, streamName, 2);
        livePushed.push(...await pushed(live, secondRound));
        latePushed.push(...await pushed(late, secondRound));
        await live.close();
        await late.close();

        const stored = await storedRecords(client, streamName, firstRound + secondRound);
        assert.equal(stored.length, firstRound + secondRound);
        if (encrypted) assert.ok(stored.every((record) => record.EncryptionType === 'KMS'));
        assert.deepEqual(livePushed.map(comparable), stored.map(comparable));
        assert.deepEqual(latePushed.map(comparable), stored.map(comparable));
      });
    });
  }
}

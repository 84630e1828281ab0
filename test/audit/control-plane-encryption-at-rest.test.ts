/**
 * Audit of issue 3, "real encryption at rest for records written while enabled": on the embedded
 * (on-disk) store, a record written while the stream has EncryptionType KMS must not appear in
 * plaintext in any file under the data directory, while records written before Start and after
 * Stop are stored as they are; all three stay readable, with the right EncryptionType, after
 * StopStreamEncryption and after a restart on the same directory.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, startTestServer, type RunningServer } from '../helpers/server.js';

const StreamName = 'at-rest';
const KeyId = 'arn:aws:kms:us-east-1:000000000000:key/12345678-1234-1234-1234-123456789012';
const BEFORE = 'plain-before-7f3a9c';
const DURING = 'sealed-during-7f3a9c';
const AFTER = 'plain-after-7f3a9c';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function filesContaining(dir: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text);
  const hits: string[] = [];
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).includes(needle)) hits.push(path.relative(dir, file));
  }
  return hits;
}

async function readShard(client: KinesisClient): Promise<Array<[string, string | undefined]>> {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
  const reply = await client.send(new GetRecordsCommand({ ShardIterator }));
  return (reply.Records ?? []).map((record) => [Buffer.from(record.Data!).toString(), record.EncryptionType]);
}

describe('audit: encryption at rest on the embedded store', () => {
  let dataDir: string;
  let server: RunningServer;
  let client: KinesisClient;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'runnel-audit-enc-'));
    server = await startTestServer({ inMemory: false, dataDir, fsync: 'always' });
    client = kinesisClient(server.endpoint);
  });
  after(async () => {
    client.destroy();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps records sealed on disk and readable after Stop and after a restart', async () => {
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    const put = (data: string) => client.send(new PutRecordCommand({ StreamName, Data: Buffer.from(data), PartitionKey: 'k' }));

    assert.equal((await put(BEFORE)).EncryptionType, undefined);
    await client.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId }));
    const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
    assert.deepEqual([summary.EncryptionType, summary.KeyId], ['KMS', KeyId]);
    assert.equal((await put(DURING)).EncryptionType, 'KMS');
    await client.send(new StopStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId }));
    assert.equal((await put(AFTER)).EncryptionType, undefined);

    assert.deepEqual(await filesContaining(dataDir, DURING), [], 'the record written while encrypted is nowhere in plaintext');
    assert.notDeepEqual(await filesContaining(dataDir, BEFORE), [], 'the unencrypted record is found, so the search does look at the segments');
    assert.notDeepEqual(await filesContaining(dataDir, AFTER), []);
    assert.equal((await stat(path.join(dataDir, 'encryption', 'master.key'))).mode & 0o777, 0o600);

    const expected = [[BEFORE, undefined], [DURING, 'KMS'], [AFTER, undefined]];
    assert.deepEqual(await readShard(client), expected);

    client.destroy();
    await server.close();
    server = await startTestServer({ inMemory: false, dataDir, fsync: 'always' });
    client = kinesisClient(server.endpoint);
    assert.deepEqual(await readShard(client), expected);
    const restarted = (await client.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
    assert.equal(restarted.EncryptionType, 'NONE');
  });
});

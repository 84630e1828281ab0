/**
 * DirectPut durability: a server process is killed with SIGKILL after acknowledging records and
 * before delivering all of them; a new process on the same data directory delivers every
 * acknowledged record (at least once).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  UpdateDestinationCommand,
} from '@aws-sdk/client-firehose';
import { firehoseClient } from '../../helpers/server.js';
import { ROLE_ARN, listObjects, readObject, waitFor, waitForObjects } from './helpers.js';

const SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'server-process.js');

interface ServerProcess {
  readonly child: ChildProcess;
  readonly endpoint: string;
}

async function startServerProcess(config: Record<string, unknown>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER_SCRIPT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line).endpoint));
  });
  return { child, endpoint };
}

function kill9(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

describe('DirectPut durability across kill -9', () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('delivers every acknowledged record after a crash between ack and flush', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-firehose-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const base = { host: '127.0.0.1', port: 0, dataDir, inMemory: false, fsync: 'always', logLevel: 'silent', limits: 'off', firehoseCreateMs: 0, firehoseDeleteMs: 0 };
    const s3Root = join(dataDir, 's3');

    // First life: objects of 50 records each; 120 records leave 20 acknowledged but undelivered.
    const first = await startServerProcess({ ...base, firehoseFlushRecords: 50 });
    cleanups.push(() => kill9(first));
    const client = firehoseClient(first.endpoint, { http1: true });
    await client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'durable',
      ExtendedS3DestinationConfiguration: {
        RoleARN: ROLE_ARN,
        BucketARN: 'arn:aws:s3:::durable',
        BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 900 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
      },
    }));
    const acknowledged: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const records = Array.from({ length: 20 }, (_, i) => `record-${batch * 20 + i}`);
      const result = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'durable', Records: records.map((r) => ({ Data: Buffer.from(r) })) }));
      assert.equal(result.FailedPutCount, 0);
      acknowledged.push(...records);
    }
    client.destroy();
    await kill9(first);
    const deliveredBeforeCrash = await listObjects(s3Root, 'durable');
    assert.ok(deliveredBeforeCrash.length <= 2, 'at most the two full objects were delivered before the crash');

    // Second life: no record-count switch; shortening the interval to 0 releases what waits.
    const second = await startServerProcess({ ...base, firehoseFlushRecords: 0 });
    cleanups.push(() => kill9(second));
    const client2 = firehoseClient(second.endpoint, { http1: true });
    await client2.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'durable',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 0 } },
    }));
    client2.destroy();

    const delivered = await waitFor(async () => {
      const keys = await waitForObjects(s3Root, 'durable', 1);
      const lines = new Map<string, number>();
      for (const key of keys) {
        for (const line of (await readObject(s3Root, 'durable', key)).toString().split('\n').filter(Boolean)) {
          lines.set(line, (lines.get(line) ?? 0) + 1);
        }
      }
      return acknowledged.every((record) => lines.has(record)) ? lines : undefined;
    });
    assert.equal([...delivered.keys()].filter((line) => !acknowledged.includes(line)).length, 0, 'nothing but acknowledged records');
    assert.equal(acknowledged.filter((record) => delivered.has(record)).length, 120, 'every acknowledged record was delivered');
    await kill9(second);
  });
});

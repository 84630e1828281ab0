/**
 * The package's library entry as a user's project reaches it: `import { startServer } from
 * 'runnel'` (resolved through package.json "exports", the same path an installed copy takes).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { http1Request } from '../helpers/raw-http.js';

/** Held in a variable so the compiler does not resolve the package's own build output. */
const PACKAGE_NAME: string = 'runnel';

interface LibraryServer { endpoint: string; port: number; close(): Promise<void> }
type StartServer = (settings?: Record<string, unknown>) => Promise<LibraryServer>;

async function loadStartServer(): Promise<StartServer> {
  const library = (await import(PACKAGE_NAME)) as { startServer: StartServer };
  assert.equal(typeof library.startServer, 'function');
  return library.startServer;
}

function client(endpoint: string): KinesisClient {
  return new KinesisClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

describe("import { startServer } from 'runnel'", () => {
  it('starts an in-memory server on a free port that answers probes and the SDK, and closes twice safely', async () => {
    const startServer = await loadStartServer();
    const server = await startServer({ port: 0, inMemory: true, createStreamMs: 0, logLevel: 'silent' });
    const kinesis = client(server.endpoint);
    try {
      assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.port, 0);
      for (const path of ['/', '/health']) assert.equal((await http1Request(server.endpoint, { method: 'GET', path })).status, 200, path);
      await kinesis.send(new CreateStreamCommand({ StreamName: 'library', ShardCount: 1 }));
      await kinesis.send(new PutRecordCommand({ StreamName: 'library', PartitionKey: 'k', Data: Buffer.from('x') }));
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'library' }));
      assert.equal(summary.StreamDescriptionSummary?.StreamStatus, 'ACTIVE');
    } finally {
      kinesis.destroy();
      await server.close();
      await server.close();
    }
  });

  it('keeps streams in a data directory across a close and a new start', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-library-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const startServer = await loadStartServer();
    const first = await startServer({ port: 0, dataDir, createStreamMs: 0, logLevel: 'silent' });
    const firstClient = client(first.endpoint);
    await firstClient.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 2 }));
    firstClient.destroy();
    await first.close();

    const second = await startServer({ port: 0, dataDir, logLevel: 'silent' });
    const secondClient = client(second.endpoint);
    try {
      const summary = await secondClient.send(new DescribeStreamSummaryCommand({ StreamName: 'kept' }));
      assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 2);
    } finally {
      secondClient.destroy();
      await second.close();
    }
  });
});

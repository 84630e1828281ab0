/** A test server on the embedded storage in a temporary data directory, restartable in place. */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Clock } from '../../src/domain/clock.js';
import { kinesisClient, startTestServer, type RunningServer, type TestCleanup } from '../helpers/server.js';

export interface DurableServer {
  readonly dataDir: string;
  server: RunningServer;
  client: KinesisClient;
  restart(clock: Clock): Promise<void>;
  stop(): Promise<void>;
}

export async function startDurableServer(t: TestCleanup, clock: Clock): Promise<DurableServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'runnel-audit-'));
  const start = (serverClock: Clock) => startTestServer({ inMemory: false, dataDir, fsync: 'never' }, { clock: serverClock });
  const durable: DurableServer = {
    dataDir,
    server: await start(clock),
    client: undefined as unknown as KinesisClient,
    async restart(nextClock: Clock) {
      await durable.stop();
      durable.server = await start(nextClock);
      durable.client = kinesisClient(durable.server.endpoint);
    },
    async stop() {
      durable.client.destroy();
      await durable.server.close();
    },
  };
  durable.client = kinesisClient(durable.server.endpoint);
  t.after(async () => {
    await durable.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return durable;
}

/** Paths and sizes of every segment file under the data directory. */
export async function segmentFiles(dataDir: string): Promise<{ path: string; size: number }[]> {
  const found: { path: string; size: number }[] = [];
  const logs = join(dataDir, 'logs');
  for (const log of await readdir(logs)) {
    for (const name of await readdir(join(logs, log))) {
      if (name.endsWith('.seg')) found.push({ path: join(logs, log, name), size: (await stat(join(logs, log, name))).size });
    }
  }
  return found;
}

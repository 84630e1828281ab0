/**
 * Restart: stop Runnel gracefully, start it again on the same data directory and port, and time
 * how long until it answers ListStreams and until it serves the oldest retained record.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { waitUntil } from '../processes.mjs';
import { startNullServer, startRunnel } from '../targets.mjs';

/** How long a node:http server that loads nothing takes from spawn to its first answer: the floor under Runnel's figure. */
async function bareNodeStartupMs({ config, resultsDir }) {
  const startedAt = performance.now();
  const nullServer = await startNullServer({ resultsDir, startTimeoutMs: config.startTimeoutMs, pollIntervalMs: 5 });
  const elapsed = performance.now() - startedAt;
  await nullServer.process.stop(2_000);
  return elapsed;
}

export async function runRestart({ target, config, resultsDir, dataDir, streamName, shardId, retainedRecords }) {
  progress(`runnel: restart with ${retainedRecords} records retained in ${dataDir}`);
  const port = Number(new URL(target.endpoint).port);
  const stopStartedAt = performance.now();
  await target.process.stop();
  const stopMs = performance.now() - stopStartedAt;

  const startedAt = performance.now();
  const restarted = await startRunnel({ config, resultsDir, dataDir, port, pollIntervalMs: 5 });
  const listeningMs = performance.now() - startedAt;
  const { client, close } = createClient(restarted.endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  let firstRecordMs;
  let served = false;
  try {
    await waitUntil(
      'runnel serving the oldest record after restart',
      async () => {
        const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
        const out = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
        return (out.Records?.length ?? 0) > 0;
      },
      { timeoutMs: 10_000, intervalMs: 5, process: restarted.process },
    );
    served = true;
    firstRecordMs = performance.now() - startedAt;
  } catch (err) {
    progress(`runnel: restart: oldest record not served: ${err.message}`);
  } finally {
    close();
  }
  const bareNodeMs = await bareNodeStartupMs({ config, resultsDir });
  progress(`runnel: restart: stop ${stopMs.toFixed(0)} ms, listening after ${listeningMs.toFixed(0)} ms, first record after ${firstRecordMs?.toFixed(0) ?? '—'} ms (a bare node:http server: ${bareNodeMs.toFixed(0)} ms)`);
  return { target: restarted, result: { retainedRecords, stopMs, listeningMs, firstRecordMs, served, bareNodeMs } };
}

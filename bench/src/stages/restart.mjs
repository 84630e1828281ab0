/**
 * Restart: stop Runnel gracefully, start it again on the same data directory and port, and time
 * how long until it answers ListStreams and until it serves the oldest retained record.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { cpuTimeMs, waitUntil } from '../processes.mjs';
import { startNullServer, startRunnel } from '../targets.mjs';

/**
 * How long a node:http server that loads nothing takes from spawn to its first answer, and the CPU
 * it used by then: the floor under Runnel's figures.
 */
async function bareNodeStartup({ config, resultsDir }) {
  const startedAt = performance.now();
  const nullServer = await startNullServer({ resultsDir, startTimeoutMs: config.startTimeoutMs, pollIntervalMs: 5 });
  const elapsedMs = performance.now() - startedAt;
  const cpuMs = await cpuTimeMs(nullServer.process.pid);
  await nullServer.process.stop(2_000);
  return { elapsedMs, cpuMs };
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
  // CPU time (all threads) the process used until it answered: unlike wall time, hardly moved by the machine's load.
  const listeningCpuMs = await cpuTimeMs(restarted.process.pid);
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
  const bare = await bareNodeStartup({ config, resultsDir });
  progress(
    `runnel: restart: stop ${stopMs.toFixed(0)} ms, listening after ${listeningMs.toFixed(0)} ms (${listeningCpuMs ?? '—'} ms CPU), first record after ${firstRecordMs?.toFixed(0) ?? '—'} ms ` +
      `(a bare node:http server: ${bare.elapsedMs.toFixed(0)} ms, ${bare.cpuMs ?? '—'} ms CPU)`,
  );
  return { target: restarted, result: { retainedRecords, stopMs, listeningMs, listeningCpuMs, firstRecordMs, served, bareNodeMs: bare.elapsedMs, bareNodeCpuMs: bare.cpuMs } };
}

/**
 * Server capacity: the lean load generator against Runnel and against the null server in the same
 * run, same bodies, same connection count. The null server is the ceiling of this machine's HTTP
 * stack; Runnel's figures are reported as a fraction of it. The load generator is one thread of the
 * bench process sharing the same cores, so its own CPU is reported next to the servers'.
 */
import { progress } from '../log.mjs';
import { cpuMeter } from '../processes.mjs';
import { putRecordBody, putRecordsBody, runRawLoad } from '../raw-load.mjs';
import { perSecond } from '../stats.mjs';

export function capacityScenarios(config, streamName) {
  const { batchRecords, recordBytes, smallRecordBytes } = config.capacity;
  return [
    { name: `PutRecords ${batchRecords}×${recordBytes}B`, operation: 'PutRecords', recordsPerRequest: batchRecords, body: putRecordsBody(streamName, batchRecords, recordBytes) },
    { name: `PutRecord ${smallRecordBytes}B`, operation: 'PutRecord', recordsPerRequest: 1, body: putRecordBody(streamName, smallRecordBytes) },
  ];
}

export async function runCapacity({ target, config, scenario }) {
  const { connections, seconds } = config.capacity;
  progress(`${target.name}: capacity ${scenario.name}, ${connections} connections, ${seconds}s`);
  const stopCpuMeter = await cpuMeter(target.process.pid);
  const run = await runRawLoad({
    endpoint: target.endpoint,
    operation: scenario.operation,
    body: scenario.body,
    connections,
    seconds,
    timeoutMs: config.requestTimeoutMs,
  });
  const cpu = await stopCpuMeter();
  const acceptedRecords = run.ok * scenario.recordsPerRequest - run.failedRecords;
  const result = {
    scenario: scenario.name,
    connections,
    requests: run.requests,
    okRequests: run.ok,
    errors: run.errors,
    statusCounts: run.statusCounts,
    firstError: run.firstError,
    failedRecordsInSampledBodies: run.failedRecords,
    elapsedMs: run.elapsedMs,
    serverCpuCores: cpu.serverCores,
    loadGeneratorCpuCores: cpu.benchCores,
    requestsPerSec: perSecond(run.ok, run.elapsedMs),
    recordsPerSec: perSecond(acceptedRecords, run.elapsedMs),
    recordsPerServerCpuSecond: cpu.serverCores ? perSecond(acceptedRecords, run.elapsedMs) / cpu.serverCores : undefined,
    requestMiBPerSec: perSecond(run.ok * scenario.body.length, run.elapsedMs) / (1024 * 1024),
  };
  progress(`${target.name}: capacity ${scenario.name}: ${Math.round(result.requestsPerSec)} req/s, ${Math.round(result.recordsPerSec)} records/s${run.firstError ? ` (first error: ${run.firstError})` : ''}`);
  return result;
}

/** Runs one client job (client-jobs.mjs) in a worker thread: ready → go (with the deadline) → done. */
import { parentPort, workerData } from 'node:worker_threads';
import { JOBS } from './client-jobs.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { kind, params } = workerData;
parentPort.once('message', async ({ deadlineEpochMs }) => {
  try {
    const result = await JOBS[kind]({ ...params, deadlineEpochMs }, (records) => parentPort.postMessage({ type: 'progress', records }));
    parentPort.postMessage({ type: 'done', result });
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: `${err.name}: ${err.message}` });
  }
});
parentPort.postMessage({ type: 'ready' });

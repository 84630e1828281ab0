/**
 * Runs a set of client jobs in parallel, in worker threads (one per job) or in this thread, and
 * starts their clock only once every worker has loaded the SDK.
 */
import { Worker } from 'node:worker_threads';
import { JOBS } from './client-jobs.mjs';

const WORKER_URL = new URL('./job-worker.mjs', import.meta.url);
const WORKER_READY_TIMEOUT_MS = 60_000;

function startWorker(kind, params, onProgress) {
  const worker = new Worker(WORKER_URL, { workerData: { kind, params } });
  let markReady;
  let failReady;
  const ready = new Promise((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const done = new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'progress') onProgress(message.records);
      else if (message.type === 'done') resolve(message.result);
      else if (message.type === 'error') reject(new Error(message.message));
    });
    worker.once('error', (err) => {
      failReady(err);
      reject(err);
    });
    worker.once('exit', (code) => {
      const err = new Error(`client worker exited with code ${code}`);
      failReady(err);
      reject(err);
    });
  });
  done.catch(() => {});
  return { worker, ready, done };
}

/**
 * `durationMs` sets the shared deadline, counted from the moment all jobs are ready.
 * Returns { results, startedAt } where startedAt is the performance.now() the clock started at.
 */
export async function runJobs(kind, paramsList, { threads, durationMs, onProgress, onStart }) {
  if (!threads) {
    await onStart?.();
    const startedAt = performance.now();
    const deadlineEpochMs = Date.now() + durationMs;
    const results = await Promise.all(paramsList.map((params) => JOBS[kind]({ ...params, deadlineEpochMs }, onProgress)));
    return { results, startedAt };
  }
  const workers = paramsList.map((params) => startWorker(kind, params, onProgress));
  try {
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('client workers did not start in time')), WORKER_READY_TIMEOUT_MS).unref());
    await Promise.race([Promise.all(workers.map((w) => w.ready)), timeout]);
    await onStart?.();
    const startedAt = performance.now();
    const deadlineEpochMs = Date.now() + durationMs;
    for (const { worker } of workers) worker.postMessage({ deadlineEpochMs });
    const results = await Promise.all(workers.map((w) => w.done));
    return { results, startedAt };
  } finally {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }
}

/**
 * Child processes the bench starts (servers under test), and the guarantee that they all end with
 * the bench, whether it finishes, throws or is interrupted.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

function killEverything() {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killEverything();
    process.exit(130);
  });
}

/** A port that was free a moment ago on 127.0.0.1 (for servers that cannot listen on port 0). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a command with its output appended to logPath. The returned handle's `stop()` asks it to
 * end (SIGTERM, so it can flush e.g. a CPU profile) and kills it after graceMs.
 */
export function startProcess({ name, command, args, env, cwd, logPath }) {
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  child.once('error', (err) => log.write(`[bench] ${name} failed to start: ${err.message}\n`));
  return {
    name,
    pid: child.pid,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const outcome = await Promise.race([exited, sleep(graceMs).then(() => null)]);
        if (outcome === null) child.kill('SIGKILL');
      }
      const result = await exited;
      await new Promise((resolve) => log.end(resolve));
      return result;
    },
  };
}

/** Polls `probe` until it resolves truthy; throws with the last error after timeoutMs. */
export async function waitUntil(what, probe, { timeoutMs, intervalMs = 50, process: child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (child?.hasExited()) throw new Error(`${what}: process exited before it was ready`);
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${lastError ? ` (last error: ${lastError.message ?? lastError})` : ''}`);
}

/** Resident set size of a running process in bytes, or undefined where /proc is unavailable. */
export async function residentBytes(pid) {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** How many file descriptors a running process holds open, or undefined without /proc. */
export async function openFileDescriptors(pid) {
  const { readdir } = await import('node:fs/promises');
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return undefined;
  }
}

/** Linux reports process CPU time in clock ticks; 100 per second on every mainstream kernel config. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms, or undefined without /proc. */
export async function cpuTimeMs(pid) {
  const { readFile } = await import('node:fs/promises');
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Measures how many CPU cores the server and this bench process used between start and stop. */
export async function cpuMeter(serverPid) {
  const serverStart = await cpuTimeMs(serverPid);
  const benchStart = process.cpuUsage();
  const startedAt = performance.now();
  return async () => {
    const elapsed = performance.now() - startedAt;
    const serverEnd = await cpuTimeMs(serverPid);
    const bench = process.cpuUsage(benchStart);
    return {
      serverCores: serverStart === undefined || serverEnd === undefined ? undefined : (serverEnd - serverStart) / elapsed,
      benchCores: (bench.user + bench.system) / 1000 / elapsed,
    };
  };
}

/**
 * How each server under test is started. Every target runs as its own child process on 127.0.0.1,
 * so the bench's client work never shares an event loop with the server it measures.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answersListStreams } from './kinesis.mjs';
import { freePort, startProcess, waitUntil } from './processes.mjs';

const require = createRequire(import.meta.url);
export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT_DIR = dirname(BENCH_DIR);
export const RUNNEL_CLI = join(ROOT_DIR, 'dist', 'src', 'cli', 'main.js');

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

async function startKinesisTarget({ name, command, args, env, cwd, port, logPath, description, startTimeoutMs, pollIntervalMs = 50 }) {
  const endpoint = `http://127.0.0.1:${port}`;
  const child = startProcess({ name, command, args, env, cwd, logPath });
  const startedAt = performance.now();
  try {
    await waitUntil(`${name} on ${endpoint}`, () => answersListStreams(endpoint), { timeoutMs: startTimeoutMs, intervalMs: pollIntervalMs, process: child });
  } catch (err) {
    await child.stop(2_000);
    const tail = (await readFile(logPath, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' / ');
    throw new Error(`${err.message}${tail ? `; its log ends: ${tail}` : ''}`);
  }
  return {
    name,
    endpoint,
    process: child,
    description,
    startupMs: performance.now() - startedAt,
    command: [command, ...args].join(' '),
    env,
  };
}

/** Runnel from this work tree's dist/, on a real data directory, limits off. */
export async function startRunnel({ config, resultsDir, dataDir, port, pollIntervalMs }) {
  if (!existsSync(RUNNEL_CLI)) throw new Error(`${RUNNEL_CLI} is missing: build the root package first (npm run build)`);
  const listenPort = port ?? (await freePort());
  await mkdir(dataDir, { recursive: true });
  const args = [
    ...config.runnel.nodeArgs,
    ...(config.runnel.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.runnel.profileDir}`] : []),
    RUNNEL_CLI,
    'serve',
    '--port', String(listenPort),
    '--limits', 'off',
    '--create-stream-ms', String(config.runnel.createStreamMs),
    ...(config.runnel.store === 'memory' ? ['--in-memory'] : ['--data-dir', dataDir, '--fsync', config.runnel.fsync]),
  ];
  const store = config.runnel.store === 'memory' ? 'IN MEMORY (--in-memory, not the reference setup)' : `data dir on disk (${dataDir}), --fsync ${config.runnel.fsync}`;
  return startKinesisTarget({
    name: 'runnel',
    command: process.execPath,
    args,
    env: { RUNNEL_LOG_LEVEL: 'warn' },
    cwd: ROOT_DIR,
    port: listenPort,
    logPath: join(resultsDir, 'runnel.log'),
    description: `Runnel, ${store}, --limits off, --create-stream-ms ${config.runnel.createStreamMs}, RUNNEL_LOG_LEVEL=warn`,
    startTimeoutMs: config.startTimeoutMs,
    pollIntervalMs,
  });
}

/** kinesalite's CLI; its default store is an in-memory LevelDB (memdown), `--path` puts it on disk. */
export async function startKinesalite({ config, resultsDir }) {
  const port = await freePort();
  const args = [join(packageDir('kinesalite'), 'cli.js'), '--port', String(port), '--createStreamMs', '50'];
  let store = 'in-memory (kinesalite default, no --path)';
  if (config.kinesalite.store === 'disk') {
    const path = join(resultsDir, 'kinesalite-data');
    await rm(path, { recursive: true, force: true });
    args.push('--path', path);
    store = `on-disk LevelDB (--path ${path})`;
  }
  return startKinesisTarget({
    name: 'kinesalite',
    command: process.execPath,
    args,
    env: {},
    cwd: BENCH_DIR,
    port,
    logPath: join(resultsDir, 'kinesalite.log'),
    description: `kinesalite ${require('kinesalite/package.json').version}, ${store}`,
    startTimeoutMs: config.startTimeoutMs,
  });
}

/**
 * kinesis-local is kinesis-mock compiled to JavaScript (Scala.js): plain HTTP on
 * KINESIS_MOCK_PLAIN_PORT, TLS on KINESIS_MOCK_TLS_PORT with the certificate shipped as server.json.
 */
export async function startKinesisLocal({ config, resultsDir }) {
  const dir = packageDir('kinesis-local');
  const plainPort = await freePort();
  const tlsPort = await freePort();
  const env = {
    KINESIS_MOCK_CERT_PATH: join(dir, 'server.json'),
    KINESIS_MOCK_PLAIN_PORT: String(plainPort),
    KINESIS_MOCK_TLS_PORT: String(tlsPort),
    CREATE_STREAM_DURATION: '50ms',
    SHOULD_PERSIST_DATA: 'false',
    LOG_LEVEL: 'WARN',
  };
  return startKinesisTarget({
    name: 'kinesis-local',
    command: process.execPath,
    args: [join(dir, 'main.js')],
    env,
    cwd: BENCH_DIR,
    port: plainPort,
    logPath: join(resultsDir, 'kinesis-local.log'),
    description: `kinesis-local ${require('kinesis-local/package.json').version} (Node, in-memory, SHOULD_PERSIST_DATA=false), plain HTTP port`,
    startTimeoutMs: config.startTimeoutMs,
  });
}

async function startFloorServer({ name, script, scriptArgs = [], description, resultsDir, startTimeoutMs, pollIntervalMs = 50 }) {
  const port = await freePort();
  const child = startProcess({
    name,
    command: process.execPath,
    args: [join(BENCH_DIR, 'src', script), String(port), ...scriptArgs.map(String)],
    env: {},
    cwd: BENCH_DIR,
    logPath: join(resultsDir, `${name}.log`),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil(`${name} on ${endpoint}`, async () => (await fetch(endpoint, { method: 'POST', body: '{}' })).ok, {
    timeoutMs: startTimeoutMs,
    intervalMs: pollIntervalMs,
    process: child,
  });
  return { name, endpoint, process: child, description };
}

/** The null server: reads and discards each request body, answers 200 with `{}`. */
export function startNullServer({ resultsDir, startTimeoutMs, pollIntervalMs }) {
  return startFloorServer({
    name: 'null-server',
    script: 'null-server.mjs',
    description: 'node:http server that discards the body and answers 200 {}',
    resultsDir,
    startTimeoutMs,
    pollIntervalMs,
  });
}

/**
 * The client-ceiling server: pre-built, real-shaped answers to PutRecords (`putBatchRecords`
 * success entries), GetRecords (`getRecords` × `recordBytes` B records) and GetShardIterator.
 */
export function startNullKinesisServer({ resultsDir, startTimeoutMs, putBatchRecords, getRecords, recordBytes }) {
  return startFloorServer({
    name: 'null-kinesis-server',
    script: 'null-kinesis-server.mjs',
    scriptArgs: [putBatchRecords, getRecords, recordBytes],
    description: `node:http server answering PutRecords with ${putBatchRecords} success entries and GetRecords with ${getRecords} × ${recordBytes} B records, all pre-built`,
    resultsDir,
    startTimeoutMs,
  });
}

export const STARTERS = {
  runnel: startRunnel,
  kinesalite: startKinesalite,
  'kinesis-local': startKinesisLocal,
};

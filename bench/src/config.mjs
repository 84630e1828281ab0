/**
 * Every bench parameter, read once from BENCH_* environment variables. Defaults keep a full run
 * (three targets, every stage) within a few minutes on a 2-core machine.
 */
const ALL_TARGETS = ['runnel', 'kinesalite', 'kinesis-local'];
const ALL_STAGES = ['ingest', 'drain', 'latency', 'capacity', 'fanout', 'firehose', 'restart', 'streams', 'positions'];
/** Stages a plain `npm run bench` runs; streams and positions take minutes and run when named. */
const DEFAULT_STAGES = ['ingest', 'drain', 'latency', 'capacity', 'fanout', 'firehose', 'restart'];

function intFromEnv(name, fallback, { min = 0 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function listFromEnv(name, allowed, fallback = allowed) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const picked = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of picked) {
    if (!allowed.includes(item)) throw new Error(`${name}: unknown ${JSON.stringify(item)}; known: ${allowed.join(', ')}`);
  }
  return picked;
}

function choiceFromEnv(name, allowed, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

export function readConfig() {
  return {
    targets: listFromEnv('BENCH_TARGETS', ALL_TARGETS),
    stages: listFromEnv('BENCH_STAGES', ALL_STAGES, DEFAULT_STAGES),
    shards: intFromEnv('BENCH_SHARDS', 4, { min: 1 }),
    /**
     * Ingest producers and drain readers each in a worker thread (1) or all in the main thread (0).
     * The SDK spends about as much CPU per record as an efficient server; one thread would cap the
     * figures at what one core of client can send.
     */
    clientThreads: intFromEnv('BENCH_CLIENT_THREADS', 1) === 1,
    ingest: {
      producers: intFromEnv('BENCH_PRODUCERS', 4, { min: 1 }),
      batchRecords: intFromEnv('BENCH_BATCH_RECORDS', 500, { min: 1 }),
      recordBytes: intFromEnv('BENCH_RECORD_BYTES', 1024, { min: 1 }),
      seconds: intFromEnv('BENCH_INGEST_SECONDS', 10, { min: 1 }),
      /** Upper bound on records per target, whichever of time and count comes first. */
      maxRecords: intFromEnv('BENCH_INGEST_MAX_RECORDS', 2_000_000, { min: 1 }),
    },
    /** Bound of the client-ceiling run (the same ingest against the null server). */
    clientCeilingSeconds: intFromEnv('BENCH_CEILING_SECONDS', 10, { min: 1 }),
    drain: {
      /** GetRecords Limit (AWS maximum is 10,000). */
      limit: intFromEnv('BENCH_DRAIN_LIMIT', 10_000, { min: 1 }),
      maxSeconds: intFromEnv('BENCH_DRAIN_MAX_SECONDS', 120, { min: 1 }),
      /** Bound of the drain client-ceiling run (the same readers against the client-ceiling server). */
      ceilingSeconds: intFromEnv('BENCH_DRAIN_CEILING_SECONDS', 10, { min: 1 }),
    },
    latency: {
      recordBytes: intFromEnv('BENCH_LATENCY_RECORD_BYTES', 100, { min: 1 }),
      warmup: intFromEnv('BENCH_LATENCY_WARMUP', 200),
      count: intFromEnv('BENCH_LATENCY_COUNT', 2000, { min: 1 }),
      maxSeconds: intFromEnv('BENCH_LATENCY_MAX_SECONDS', 30, { min: 1 }),
      /** Peers are slower per request; they get fewer samples within the same time bound. */
      peerCount: intFromEnv('BENCH_LATENCY_PEER_COUNT', 500, { min: 1 }),
    },
    streams: {
      count: intFromEnv('BENCH_STREAMS', 1000, { min: 1 }),
      /** Ingest bound of the many-streams run (the record bound is BENCH_INGEST_MAX_RECORDS). */
      seconds: intFromEnv('BENCH_STREAMS_SECONDS', 60, { min: 1 }),
      createMaxSeconds: intFromEnv('BENCH_STREAMS_CREATE_MAX_SECONDS', 300, { min: 1 }),
    },
    positions: {
      records: intFromEnv('BENCH_POSITIONS_RECORDS', 2_000_000, { min: 20 }),
      recordBytes: intFromEnv('BENCH_POSITIONS_RECORD_BYTES', 100, { min: 1 }),
      fillMaxSeconds: intFromEnv('BENCH_POSITIONS_FILL_MAX_SECONDS', 300, { min: 1 }),
      samples: intFromEnv('BENCH_POSITIONS_SAMPLES', 20, { min: 1 }),
      /** GetRecords Limit of each timed read. */
      limit: intFromEnv('BENCH_POSITIONS_LIMIT', 100, { min: 1 }),
    },
    capacity: {
      connections: intFromEnv('BENCH_CAPACITY_CONNECTIONS', 8, { min: 1 }),
      seconds: intFromEnv('BENCH_CAPACITY_SECONDS', 5, { min: 1 }),
      batchRecords: intFromEnv('BENCH_CAPACITY_BATCH_RECORDS', 500, { min: 1 }),
      recordBytes: intFromEnv('BENCH_CAPACITY_RECORD_BYTES', 1024, { min: 1 }),
      smallRecordBytes: intFromEnv('BENCH_CAPACITY_SMALL_RECORD_BYTES', 100, { min: 1 }),
    },
    fanout: {
      consumers: intFromEnv('BENCH_FANOUT_CONSUMERS', 5, { min: 1 }),
      /** Worker threads the consumers are spread over; by default one each. */
      consumerThreads: intFromEnv('BENCH_FANOUT_CONSUMER_THREADS', intFromEnv('BENCH_FANOUT_CONSUMERS', 5, { min: 1 }), { min: 1 }),
      /** A second pass with lean clients (no SDK, consumers in one thread); BENCH_FANOUT_LEAN_PASS=0 skips it. */
      leanPass: process.env.BENCH_FANOUT_LEAN_PASS !== '0',
      latencyRecords: intFromEnv('BENCH_FANOUT_LATENCY_RECORDS', 1000, { min: 1 }),
      latencyRecordBytes: intFromEnv('BENCH_FANOUT_LATENCY_RECORD_BYTES', 100, { min: 9 }),
      throughputSeconds: intFromEnv('BENCH_FANOUT_SECONDS', 5, { min: 1 }),
      throughputProducers: intFromEnv('BENCH_FANOUT_PRODUCERS', 2, { min: 1 }),
      batchRecords: intFromEnv('BENCH_FANOUT_BATCH_RECORDS', 500, { min: 1 }),
      recordBytes: intFromEnv('BENCH_FANOUT_RECORD_BYTES', 1024, { min: 9 }),
    },
    firehose: {
      producers: intFromEnv('BENCH_FIREHOSE_PRODUCERS', 4, { min: 1 }),
      batchRecords: intFromEnv('BENCH_FIREHOSE_BATCH_RECORDS', 500, { min: 1 }),
      recordBytes: intFromEnv('BENCH_FIREHOSE_RECORD_BYTES', 1024, { min: 1 }),
      seconds: intFromEnv('BENCH_FIREHOSE_SECONDS', 5, { min: 1 }),
      bufferSizeMiB: intFromEnv('BENCH_FIREHOSE_BUFFER_MIB', 8, { min: 1 }),
      /** 0 is AWS's zero buffering: deliver as soon as possible. */
      bufferIntervalSeconds: intFromEnv('BENCH_FIREHOSE_BUFFER_SECONDS', 0),
    },
    runnel: {
      /** `memory` (--in-memory) is for trying the harness only; the reference figures are on disk. */
      store: choiceFromEnv('BENCH_RUNNEL_STORE', ['disk', 'memory'], 'disk'),
      fsync: choiceFromEnv('BENCH_RUNNEL_FSYNC', ['always', 'interval', 'never'], 'always'),
      /** `--create-stream-ms`: how long a new stream stays CREATING (0: ACTIVE at once; the streams stage creates 1,000). */
      createStreamMs: intFromEnv('BENCH_RUNNEL_CREATE_STREAM_MS', 0),
      /** Extra node flags for the Runnel process, e.g. "--cpu-prof --cpu-prof-dir=bench/results/prof". */
      nodeArgs: (process.env.BENCH_RUNNEL_NODE_ARGS ?? '').split(' ').filter(Boolean),
      /** Keeps Runnel's (and an on-disk kinesalite's) data directory after the run. */
      keepData: process.env.BENCH_KEEP_DATA === '1',
      /** Runs Runnel under `node --cpu-prof` and prints its hottest functions after the run. */
      profile: process.env.BENCH_PROFILE === '1',
    },
    kinesalite: {
      /** kinesalite's own default is an in-memory LevelDB; `disk` passes --path. */
      store: choiceFromEnv('BENCH_KINESALITE_STORE', ['memory', 'disk'], 'memory'),
    },
    /** Bound for a server to start answering. */
    startTimeoutMs: intFromEnv('BENCH_START_TIMEOUT_MS', 60_000, { min: 1 }),
    requestTimeoutMs: intFromEnv('BENCH_REQUEST_TIMEOUT_MS', 60_000, { min: 1 }),
  };
}

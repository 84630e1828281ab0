/**
 * Builds the ServerConfig: defaults (config.ts), then RUNNEL_* environment variables, then
 * command-line flags. One table describes every setting once — flag, variable, parser, help — so
 * `--help`, the environment and README stay in step. Adding a ServerConfig field means adding a
 * row here (a test fails otherwise).
 */
import { readFileSync } from 'node:fs';
import { defaultConfig, type ServerConfig } from './config.js';
import type { LogLevel } from './logger.js';

/** A bad flag, variable or value; the CLI prints the message and exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface SettingSpec {
  /** Flag without dashes, e.g. `data-dir`. */
  readonly flag: string;
  /** Environment variable, e.g. `RUNNEL_DATA_DIR`. */
  readonly env: string;
  readonly field: keyof ServerConfig;
  /** Placeholder shown in help; absent for switches (`--in-memory`). */
  readonly valueName?: string;
  readonly help: string;
  /** Turns the text into the field's value; throws ConfigError with a reason. */
  parse(text: string, source: string): unknown;
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string, source: string): number => {
    if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(`${source} must be an integer, got '${text}'`);
    const value = Number(text);
    if (value < min || value > max) throw new ConfigError(`${source} must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

function oneOf<T extends string>(...allowed: T[]) {
  return (text: string, source: string): T => {
    if (!(allowed as string[]).includes(text)) throw new ConfigError(`${source} must be one of ${allowed.join(', ')}, got '${text}'`);
    return text as T;
  };
}

function nonEmpty(text: string, source: string): string {
  if (text.length === 0) throw new ConfigError(`${source} must not be empty`);
  return text;
}

function boolean(text: string, source: string): boolean {
  const lowered = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lowered)) return true;
  if (['0', 'false', 'no', 'off'].includes(lowered)) return false;
  throw new ConfigError(`${source} must be true or false, got '${text}'`);
}

/** `AKID:SECRET[,AKID:SECRET…]` → map. */
export function parseAuthKeys(text: string, source: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) throw new ConfigError(`${source}: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got '${entry}'`);
    keys.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  return keys;
}

/** One `AKID:SECRET` per line; blank lines and `#` comments are ignored. */
function readAuthKeysFile(filePath: string, source: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    throw new ConfigError(`${source}: cannot read ${filePath}: ${(err as Error).message}`);
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  return parseAuthKeys(lines.join(','), `${source} (${filePath})`);
}

const MAX_PORT = 65535;

export const SETTINGS: readonly SettingSpec[] = [
  { flag: 'host', env: 'RUNNEL_HOST', field: 'host', valueName: 'HOST', help: 'Interface to listen on; 0.0.0.0 accepts remote clients.', parse: nonEmpty },
  { flag: 'port', env: 'RUNNEL_PORT', field: 'port', valueName: 'PORT', help: 'HTTP port for HTTP/1.1 and h2c; 0 picks a free port.', parse: integer(0, MAX_PORT) },
  { flag: 'tls-port', env: 'RUNNEL_TLS_PORT', field: 'tlsPort', valueName: 'PORT', help: 'Also serve TLS (h2 and http/1.1 by ALPN) on this port.', parse: integer(0, MAX_PORT) },
  { flag: 'tls-cert', env: 'RUNNEL_TLS_CERT', field: 'tlsCertPath', valueName: 'FILE', help: 'PEM certificate for the TLS port; without it a self-signed one is made on first use.', parse: nonEmpty },
  { flag: 'tls-key', env: 'RUNNEL_TLS_KEY', field: 'tlsKeyPath', valueName: 'FILE', help: 'PEM private key matching --tls-cert.', parse: nonEmpty },
  { flag: 'data-dir', env: 'RUNNEL_DATA_DIR', field: 'dataDir', valueName: 'DIR', help: 'Where streams are stored.', parse: nonEmpty },
  { flag: 'in-memory', env: 'RUNNEL_IN_MEMORY', field: 'inMemory', help: 'Keep everything in memory; nothing survives a restart.', parse: boolean },
  { flag: 'fsync', env: 'RUNNEL_FSYNC', field: 'fsync', valueName: 'always|interval|never', help: 'When appends reach the disk: before the ack (always), every --fsync-interval-ms, or when the OS decides (never).', parse: oneOf('always', 'interval', 'never') },
  { flag: 'fsync-interval-ms', env: 'RUNNEL_FSYNC_INTERVAL_MS', field: 'fsyncIntervalMs', valueName: 'MS', help: 'Flush period for --fsync interval.', parse: integer(1) },
  { flag: 'region', env: 'RUNNEL_REGION', field: 'region', valueName: 'REGION', help: 'Region written into ARNs.', parse: nonEmpty },
  { flag: 'account-id', env: 'RUNNEL_ACCOUNT_ID', field: 'accountId', valueName: 'ID', help: 'Twelve-digit account written into ARNs and messages.', parse: (text, source) => {
    if (!/^\d{12}$/.test(text)) throw new ConfigError(`${source} must be 12 digits, got '${text}'`);
    return text;
  } },
  { flag: 'create-stream-ms', env: 'RUNNEL_CREATE_STREAM_MS', field: 'createStreamMs', valueName: 'MS', help: 'Time a stream stays CREATING.', parse: integer(0) },
  { flag: 'delete-stream-ms', env: 'RUNNEL_DELETE_STREAM_MS', field: 'deleteStreamMs', valueName: 'MS', help: 'Time a stream stays DELETING.', parse: integer(0) },
  { flag: 'update-stream-ms', env: 'RUNNEL_UPDATE_STREAM_MS', field: 'updateStreamMs', valueName: 'MS', help: 'Time a stream stays UPDATING.', parse: integer(0) },
  { flag: 'shard-limit', env: 'RUNNEL_SHARD_LIMIT', field: 'shardLimit', valueName: 'N', help: 'Open shards allowed per account.', parse: integer(1) },
  { flag: 'on-demand-stream-count-limit', env: 'RUNNEL_ON_DEMAND_STREAM_COUNT_LIMIT', field: 'onDemandStreamCountLimit', valueName: 'N', help: 'On-demand streams allowed per account.', parse: integer(0) },
  { flag: 'limits', env: 'RUNNEL_LIMITS', field: 'limits', valueName: 'aws|off', help: "Enforce AWS's throughput and rate limits (aws) or not (off).", parse: oneOf('aws', 'off') },
  { flag: 'fanout-heartbeat-ms', env: 'RUNNEL_FANOUT_HEARTBEAT_MS', field: 'fanoutHeartbeatMs', valueName: 'MS', help: 'How often an idle SubscribeToShard subscription sends an empty event.', parse: integer(1) },
  { flag: 'auth-keys', env: 'RUNNEL_AUTH_KEYS', field: 'authKeys', valueName: 'AKID:SECRET[,…]', help: 'Verify SigV4 signatures against these keys. Without keys any well-formed signature is accepted.', parse: parseAuthKeys },
  { flag: 'auth-keys-file', env: 'RUNNEL_AUTH_KEYS_FILE', field: 'authKeys', valueName: 'FILE', help: 'Like --auth-keys, one AKID:SECRET per line.', parse: readAuthKeysFile },
  { flag: 'log-level', env: 'RUNNEL_LOG_LEVEL', field: 'logLevel', valueName: 'LEVEL', help: 'debug, info, warn, error or silent. Logs are JSON lines on stderr.', parse: oneOf<LogLevel>('debug', 'info', 'warn', 'error', 'silent') },
  { flag: 'firehose-flush-records', env: 'RUNNEL_FIREHOSE_FLUSH_RECORDS', field: 'firehoseFlushRecords', valueName: 'N', help: 'Runnel-only: deliver a Firehose buffer once it holds N records; 0 = off.', parse: integer(0) },
  { flag: 'firehose-create-ms', env: 'RUNNEL_FIREHOSE_CREATE_MS', field: 'firehoseCreateMs', valueName: 'MS', help: 'Time a delivery stream stays CREATING.', parse: integer(0) },
  { flag: 'firehose-delete-ms', env: 'RUNNEL_FIREHOSE_DELETE_MS', field: 'firehoseDeleteMs', valueName: 'MS', help: 'Time a delivery stream stays DELETING.', parse: integer(0) },
  { flag: 's3-endpoint', env: 'RUNNEL_S3_ENDPOINT', field: 's3Endpoint', valueName: 'URL', help: 'S3 API endpoint for Firehose S3 destinations (credentials from the AWS SDK chain); unset = embedded file store <data-dir>/s3.', parse: (text, source) => {
    try {
      new URL(text);
    } catch {
      throw new ConfigError(`${source} must be a URL, got '${text}'`);
    }
    return text;
  } },
  { flag: 's3-force-path-style', env: 'RUNNEL_S3_FORCE_PATH_STYLE', field: 's3ForcePathStyle', help: 'Address buckets as <endpoint>/<bucket>.', parse: boolean },
];

const BY_FLAG = new Map(SETTINGS.map((spec) => [spec.flag, spec]));

/** The first edit distance ≤ 2 flag, for "did you mean". */
function closestFlag(name: string): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  let best: { flag: string; d: number } | undefined;
  for (const spec of SETTINGS) {
    const d = distance(name, spec.flag);
    if (d <= 2 && (!best || d < best.d)) best = { flag: spec.flag, d };
  }
  return best?.flag;
}

function assign(config: ServerConfig, spec: SettingSpec, value: unknown): void {
  (config as unknown as Record<string, unknown>)[spec.field] = value;
}

export function configFromEnv(env: NodeJS.ProcessEnv, base: ServerConfig = defaultConfig()): ServerConfig {
  const config = { ...base };
  for (const spec of SETTINGS) {
    const text = env[spec.env];
    if (text === undefined || text === '') continue;
    assign(config, spec, spec.parse(text, spec.env));
  }
  return config;
}

/**
 * Applies `--flag value`, `--flag=value`, switches (`--in-memory`, `--no-in-memory`) and returns
 * the config. Anything else is a ConfigError.
 */
export function applyFlags(args: readonly string[], base: ServerConfig): ServerConfig {
  const config = { ...base };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    let name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let inline = eq < 0 ? undefined : arg.slice(eq + 1);
    let spec = BY_FLAG.get(name);
    if (!spec && name.startsWith('no-') && BY_FLAG.get(name.slice(3))?.valueName === undefined && inline === undefined) {
      name = name.slice(3);
      spec = BY_FLAG.get(name);
      inline = 'false';
    }
    if (!spec) {
      const suggestion = closestFlag(name);
      throw new ConfigError(`unknown option '--${name}'${suggestion ? ` (did you mean '--${suggestion}'?)` : ''}`);
    }
    const source = `--${name}`;
    let text: string;
    if (inline !== undefined) {
      text = inline;
    } else if (spec.valueName === undefined) {
      text = 'true';
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`${source} needs a value (${spec.valueName})`);
      text = next;
      i++;
    }
    assign(config, spec, spec.parse(text, source));
  }
  return config;
}

/** Rules that involve more than one setting. */
function checkCombinations(config: ServerConfig): ServerConfig {
  if ((config.tlsCertPath === undefined) !== (config.tlsKeyPath === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key must be given together');
  }
  if (config.tlsPort !== undefined && config.tlsPort !== 0 && config.tlsPort === config.port) {
    throw new ConfigError(`--tls-port must differ from --port (both ${config.port})`);
  }
  return config;
}

/** defaults ← environment ← flags. */
export function loadConfig(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return checkCombinations(applyFlags(args, configFromEnv(env)));
}

/** The options block of `runnel serve --help`. */
export function settingsHelp(): string {
  const defaults = defaultConfig();
  const describeDefault = (spec: SettingSpec): string => {
    const value = defaults[spec.field];
    if (value === undefined || value instanceof Map) return '';
    return ` Default: ${String(value)}.`;
  };
  const rows = SETTINGS.map((spec) => [
    `--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}`,
    `${spec.help}${describeDefault(spec)} [${spec.env}]`,
  ] as const);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

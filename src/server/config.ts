/**
 * Server settings: defaults, then RUNNEL_* environment variables, then command-line flags.
 * Every setting is documented in README.md ("Configuration").
 */
import type { FsyncPolicy } from '../storage/types.js';
import type { LogLevel } from './logger.js';

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** TLS port (h2 + http/1.1 by ALPN); undefined = no TLS listener. */
  tlsPort: number | undefined;
  tlsCertPath: string | undefined;
  tlsKeyPath: string | undefined;
  dataDir: string;
  inMemory: boolean;
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
  region: string;
  accountId: string;
  createStreamMs: number;
  deleteStreamMs: number;
  updateStreamMs: number;
  shardLimit: number;
  onDemandStreamCountLimit: number;
  /** `aws` enforces AWS's throughput and rate limits; `off` disables them. */
  limits: 'aws' | 'off';
  /** Enhanced fan-out: an idle subscription sends an empty event this often. */
  fanoutHeartbeatMs: number;
  /** Access key → secret key. Empty: any well-formed signature is accepted. */
  authKeys: ReadonlyMap<string, string>;
  logLevel: LogLevel;
  /** Firehose: Runnel-only switch that flushes a buffer after this many records; 0 = off. */
  firehoseFlushRecords: number;
  firehoseCreateMs: number;
  firehoseDeleteMs: number;
  s3Endpoint: string | undefined;
  s3ForcePathStyle: boolean;
}

export function defaultConfig(): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 4567,
    tlsPort: undefined,
    tlsCertPath: undefined,
    tlsKeyPath: undefined,
    dataDir: './data',
    inMemory: false,
    fsync: 'always',
    fsyncIntervalMs: 50,
    region: 'us-east-1',
    accountId: '000000000000',
    createStreamMs: 500,
    deleteStreamMs: 500,
    updateStreamMs: 500,
    shardLimit: 20000,
    onDemandStreamCountLimit: 50,
    limits: 'aws',
    fanoutHeartbeatMs: 5000,
    authKeys: new Map(),
    logLevel: 'info',
    firehoseFlushRecords: 0,
    firehoseCreateMs: 500,
    firehoseDeleteMs: 500,
    s3Endpoint: undefined,
    s3ForcePathStyle: true,
  };
}

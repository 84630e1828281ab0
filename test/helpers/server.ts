/**
 * Test servers and SDK clients. Every test server is in memory, on an ephemeral port, with
 * instant state transitions, no throughput limits and no logs, unless a test overrides that.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ServerConfig } from '../../src/server/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.js';

export type { RunningServer } from '../../src/server/start.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' } as const;
export const TEST_REGION = 'us-east-1';

export function testConfig(overrides: Partial<ServerConfig> = {}): Partial<ServerConfig> {
  return {
    host: '127.0.0.1',
    port: 0,
    inMemory: true,
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    firehoseCreateMs: 0,
    firehoseDeleteMs: 0,
    logLevel: 'silent',
    limits: 'off',
    ...overrides,
  };
}

export function startTestServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<RunningServer> {
  return startServer(testConfig(overrides), options);
}

export interface ClientOptions {
  /** Use the HTTP/1.1 handler instead of the SDK's default (HTTP/2 for Kinesis). */
  readonly http1?: boolean;
  /** SDK attempts per call; 1 (no retries) unless a test wants the SDK's retry behaviour. */
  readonly maxAttempts?: number;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string };
  readonly region?: string;
}

export function kinesisClient(endpoint: string, options: ClientOptions = {}): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: options.region ?? TEST_REGION,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

export function firehoseClient(endpoint: string, options: ClientOptions = {}): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region: options.region ?? TEST_REGION,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

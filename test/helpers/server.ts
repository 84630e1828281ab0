/**
 * Test servers and SDK clients, and the hooks that start both for a suite or for one test. Every
 * test server is in memory, on an ephemeral port, with instant state transitions, no throughput
 * limits and no logs, unless a test overrides that.
 */
import { after, before } from 'node:test';
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

/** The settings both SDK clients take from `options`. */
function clientConfig(endpoint: string, options: ClientOptions) {
  return {
    endpoint,
    region: options.region ?? TEST_REGION,
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  };
}

export function kinesisClient(endpoint: string, options: ClientOptions = {}): KinesisClient {
  return new KinesisClient(clientConfig(endpoint, options));
}

export function firehoseClient(endpoint: string, options: ClientOptions = {}): FirehoseClient {
  return new FirehoseClient(clientConfig(endpoint, options));
}

/** A started server and one SDK client of it. */
export interface ServerAndClient<Server, Client> {
  readonly server: Server;
  readonly client: Client;
}

interface Closable {
  close(): Promise<void>;
}

interface Destroyable {
  destroy(): void;
}

/**
 * Registers hooks on the enclosing suite: `before` starts a server and connects a client to it,
 * `after` destroys the client and closes the server. The fields can be read once `before` has run
 * (in tests and in `before` hooks registered after this call).
 */
export function useServerAndClient<Server extends Closable, Client extends Destroyable>(
  start: () => Promise<Server>,
  connect: (server: Server) => Client,
): ServerAndClient<Server, Client> {
  let started: ServerAndClient<Server, Client> | undefined;
  before(async () => {
    const server = await start();
    started = { server, client: connect(server) };
  });
  after(async () => {
    started?.client.destroy();
    await started?.server.close();
  });
  const current = (): ServerAndClient<Server, Client> => {
    if (!started) throw new Error('the suite server is read before its before() hook ran');
    return started;
  };
  return {
    get server() {
      return current().server;
    },
    get client() {
      return current().client;
    },
  };
}

/** A test server with a Kinesis client for the enclosing suite (see `useServerAndClient`). */
export function useKinesisServer(overrides: Partial<ServerConfig> = {}, options: StartOptions & ClientOptions = {}): ServerAndClient<RunningServer, KinesisClient> {
  return useServerAndClient(() => startTestServer(overrides, options), (server) => kinesisClient(server.endpoint, options));
}

/** A test server with a Firehose client for the enclosing suite (see `useServerAndClient`). */
export function useFirehoseServer(overrides: Partial<ServerConfig> = {}, options: StartOptions & ClientOptions = {}): ServerAndClient<RunningServer, FirehoseClient> {
  return useServerAndClient(() => startTestServer(overrides, options), (server) => firehoseClient(server.endpoint, options));
}

/** The part of node:test's TestContext these helpers need. */
export interface TestCleanup {
  after(fn: () => Promise<void>): void;
}

/** A test server with a Kinesis client for one test: both are closed when test `t` ends. */
export async function startKinesisServer(t: TestCleanup, overrides: Partial<ServerConfig> = {}, options: StartOptions & ClientOptions = {}): Promise<ServerAndClient<RunningServer, KinesisClient>> {
  const server = await startTestServer(overrides, options);
  const client = kinesisClient(server.endpoint, options);
  t.after(async () => {
    client.destroy();
    await server.close();
  });
  return { server, client };
}

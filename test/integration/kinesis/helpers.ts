/** Shared set-up for the Kinesis integration tests: one server per file, unique stream names,
 * and an assertion for AWS errors. */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { CreateStreamCommand, type CreateStreamCommandInput, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ServerConfig } from '../../../src/server/config.js';
import type { StartOptions } from '../../../src/server/start.js';
import { kinesisClient, startTestServer, type ClientOptions, type RunningServer } from '../../helpers/server.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface TestContext {
  server: RunningServer;
  client: KinesisClient;
  /** A stream name no other test in the file uses. */
  name(prefix?: string): string;
  /** Creates a stream (ACTIVE at once with the test server's 0 ms delays) and returns its name. */
  createStream(input?: Partial<CreateStreamCommandInput>): Promise<string>;
  arn(streamName: string): string;
}

/** Starts a server before the file's tests and stops it after. */
export function useServer(config: Partial<ServerConfig> = {}, options: StartOptions & ClientOptions = {}): TestContext {
  let counter = 0;
  const context = {
    name: (prefix = 'stream') => `${prefix}-${process.pid}-${++counter}`,
    arn: (streamName: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${streamName}`,
    async createStream(input: Partial<CreateStreamCommandInput> = {}) {
      const StreamName = input.StreamName ?? context.name();
      await context.client.send(new CreateStreamCommand({ ShardCount: 1, ...input, StreamName }));
      return StreamName;
    },
  } as TestContext;
  before(async () => {
    context.server = await startTestServer(config, options);
    context.client = kinesisClient(context.server.endpoint, options);
  });
  after(async () => {
    context.client?.destroy();
    await context.server?.close();
  });
  return context;
}

/** Asserts that `promise` fails with the AWS error `type` and, when given, exactly `message`. */
export async function assertAwsError(promise: Promise<unknown>, type: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    const error = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(error.name, type, `expected ${type}, got ${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message ?? '', message);
    return true;
  });
}

/**
 * The one client configuration every target is measured with: SDK v3 KinesisClient over
 * NodeHttpHandler, HTTP/1.1 keep-alive, one socket per client, no SDK retries (a failure is counted,
 * not hidden behind a retry).
 */
import { Agent } from 'node:http';
import { CreateStreamCommand, DescribeStreamCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { setTimeout as sleep } from 'node:timers/promises';

export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'bench-secret-key' };
export const BENCH_REGION = 'us-east-1';

export function createClient(endpoint, { requestTimeoutMs, sockets = 1 }) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: sockets });
  const client = new KinesisClient({
    region: BENCH_REGION,
    endpoint,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent, requestTimeout: requestTimeoutMs, connectionTimeout: 5_000 }),
  });
  return {
    client,
    close() {
      client.destroy();
      httpAgent.destroy();
    },
  };
}

export async function answersListStreams(endpoint) {
  const { client, close } = createClient(endpoint, { requestTimeoutMs: 2_000 });
  try {
    await client.send(new ListStreamsCommand({}));
    return true;
  } finally {
    close();
  }
}

/** Creates a stream and waits (bounded) until it is ACTIVE; returns its shard ids. */
export async function createActiveStream(client, streamName, shardCount, { timeoutMs = 30_000 } = {}) {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
    if (StreamDescription?.StreamStatus === 'ACTIVE') {
      return StreamDescription.Shards.map((shard) => shard.ShardId);
    }
    await sleep(100);
  }
  throw new Error(`stream ${streamName} not ACTIVE after ${timeoutMs} ms`);
}

export function uniqueStreamName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Shared setup for the enhanced fan-out tests: a stream with a registered ACTIVE consumer, and a
 * reader that pulls SubscribeToShard events one at a time. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateStreamCommand,
  KinesisClient,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type StartingPosition,
  type SubscribeToShardEvent,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { createLogger, type Logger } from '../../../src/server/logger.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../../helpers/server.js';

export type Transport = 'http2' | 'http1';

/** A client on the SDK's own handlers: NodeHttp2Handler (its Kinesis default) or the HTTP/1.1
 * NodeHttpHandler, trusting `ca` for TLS endpoints. */
export function fanoutClient(endpoint: string, transport: Transport, ca?: Buffer): KinesisClient {
  const requestHandler = transport === 'http2'
    ? new NodeHttp2Handler(ca ? { nodeHttp2ConnectOptions: { ca } } : {})
    : new NodeHttpHandler(ca ? { httpsAgent: new https.Agent({ ca }) } : {});
  return new KinesisClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1, requestHandler });
}

export interface StreamWithConsumer {
  readonly streamName: string;
  readonly streamArn: string;
  readonly consumerArn: string;
}

export async function streamWithConsumer(client: KinesisClient, streamName: string, shardCount = 1, consumerName = 'app'): Promise<StreamWithConsumer> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${streamName}`;
  const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName }));
  return { streamName, streamArn, consumerArn: Consumer!.ConsumerARN! };
}

/** Pulls events one by one; `next()` rejects with the exception event that ended the stream. */
export class EventReader {
  private constructor(private readonly iterator: AsyncIterator<SubscribeToShardEventStream>) {}

  static async open(client: KinesisClient, consumerArn: string, startingPosition: StartingPosition, shardId = 'shardId-000000000000', abortSignal?: AbortSignal): Promise<EventReader> {
    const response = await client.send(
      new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: startingPosition }),
      abortSignal ? { abortSignal } : {},
    );
    return new EventReader(response.EventStream![Symbol.asyncIterator]());
  }

  /** The next SubscribeToShardEvent, or undefined when the stream ended cleanly. */
  async next(): Promise<SubscribeToShardEvent | undefined> {
    const { done, value } = await this.iterator.next();
    if (done) return undefined;
    if (!value.SubscribeToShardEvent) throw new Error(`unexpected event ${JSON.stringify(Object.keys(value))}`);
    return value.SubscribeToShardEvent;
  }

  /** Events until `count` records have arrived; returns the events read. */
  async untilRecords(count: number): Promise<SubscribeToShardEvent[]> {
    const events: SubscribeToShardEvent[] = [];
    let records = 0;
    while (records < count) {
      const event = await this.next();
      if (!event) throw new Error(`stream ended after ${records} of ${count} records`);
      events.push(event);
      records += event.Records?.length ?? 0;
    }
    return events;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

export function dataOf(events: readonly SubscribeToShardEvent[]): string[] {
  return events.flatMap((event) => (event.Records ?? []).map((record) => Buffer.from(record.Data!).toString()));
}

const run = promisify(execFile);

/** A self-signed certificate for 127.0.0.1, written to a temporary directory. */
export async function testCertificate(): Promise<{ certPath: string; keyPath: string; cert: Buffer; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'runnel-fanout-tls-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyPath, '-out', certPath]);
  return { certPath, keyPath, cert: await readFile(certPath), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A debug logger that lets a test wait for a log line (the server's view of a subscription). */
export function logWatcher(): { log: Logger; waitFor(predicate: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> } {
  const entries: Record<string, unknown>[] = [];
  const waiters: Array<{ predicate: (entry: Record<string, unknown>) => boolean; resolve: (entry: Record<string, unknown>) => void }> = [];
  const log = createLogger('debug', {}, (line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    entries.push(entry);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    }
  });
  return {
    log,
    waitFor: (predicate) => {
      const seen = entries.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

/** Shared pieces of the Firehose integration tests: a server whose embedded S3 store is a known
 * directory, object listing, waiting for deliveries without timing assertions, and a local HTTP
 * endpoint for the HTTP endpoint destination. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ServerConfig } from '../../../src/server/config.js';
import type { StartOptions } from '../../../src/server/start.js';
import { firehoseClient, kinesisClient, startTestServer, useServerAndClient, type RunningServer, type ServerAndClient } from '../../helpers/server.js';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/firehose_delivery_role';

export interface FirehoseTestServer {
  readonly server: RunningServer;
  readonly dataDir: string;
  /** `<dataDir>/s3`: the embedded S3 store. */
  readonly s3Root: string;
  close(): Promise<void>;
}

/** A server on durable storage in a fresh directory (so S3 objects land at a known path). */
export async function startFirehoseServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<FirehoseTestServer> {
  const dataDir = overrides.dataDir ?? await mkdtemp(join(tmpdir(), 'runnel-firehose-test-'));
  const server = await startTestServer({ inMemory: false, fsync: 'never', ...overrides, dataDir }, options);
  return {
    server,
    dataDir,
    s3Root: join(dataDir, 's3'),
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `startFirehoseServer` for the enclosing suite, with a Firehose client of it (see `useServerAndClient`). */
export function useFirehoseStoreServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): ServerAndClient<FirehoseTestServer, FirehoseClient> {
  return useServerAndClient(() => startFirehoseServer(overrides, options), (fh) => firehoseClient(fh.server.endpoint));
}

export interface FirehoseServerWithKinesis {
  readonly fh: FirehoseTestServer;
  readonly firehose: FirehoseClient;
  /** A Kinesis client over HTTP/1.1, for streams a delivery stream reads. */
  readonly kinesis: KinesisClient;
}

/** `startFirehoseServer` for the enclosing suite, with a Firehose and a Kinesis client of it (see
 * `useServerAndClient`). */
export function useFirehoseServerWithKinesis(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): FirehoseServerWithKinesis {
  const suite = useServerAndClient(() => startFirehoseServer(overrides, options), (fh) => {
    const firehose = firehoseClient(fh.server.endpoint);
    const kinesis = kinesisClient(fh.server.endpoint, { http1: true });
    return {
      firehose,
      kinesis,
      destroy() {
        firehose.destroy();
        kinesis.destroy();
      },
    };
  });
  return {
    get fh() {
      return suite.server;
    },
    get firehose() {
      return suite.client.firehose;
    },
    get kinesis() {
      return suite.client.kinesis;
    },
  };
}

/** Keys of every object in `bucket`, sorted. */
export async function listObjects(s3Root: string, bucket: string): Promise<string[]> {
  const bucketDir = join(s3Root, bucket);
  let entries;
  try {
    entries = await readdir(bucketDir, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(bucketDir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

export function readObject(s3Root: string, bucket: string, key: string): Promise<Buffer> {
  return readFile(join(s3Root, bucket, ...key.split('/')));
}

/** Decodes one object body by the extension its key ends with. */
function decodeObject(key: string, body: Buffer): Buffer {
  if (key.endsWith('.gz')) return zlib.gunzipSync(body);
  if (key.endsWith('.zst')) return zstdDecode(body);
  return body;
}

/** Node 20 has no Zstandard decoder: read the raw-block frames Runnel writes there (and use the
 * native decoder where Node has one, as Runnel then compresses for real). */
function zstdDecode(frame: Buffer): Buffer {
  const native = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
  if (native) return native(frame);
  assert.deepEqual([...frame.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], 'Zstandard magic number');
  assert.equal(frame[4], 0xe0, 'single segment frame with an 8-byte content size');
  const size = Number(frame.readBigUInt64LE(5));
  const parts: Buffer[] = [];
  let offset = 13;
  for (let last = 0; !last;) {
    const header = frame.readUIntLE(offset, 3);
    last = header & 1;
    assert.equal((header >> 1) & 3, 0, 'raw block');
    const length = header >> 3;
    parts.push(frame.subarray(offset + 3, offset + 3 + length));
    offset += 3 + length;
  }
  const out = Buffer.concat(parts);
  assert.equal(out.length, size);
  return out;
}

/** Every record line delivered to `bucket`, each object decoded by its key's extension, sorted. */
export async function deliveredLines(fh: FirehoseTestServer, bucket: string): Promise<string[]> {
  const lines: string[] = [];
  for (const key of await listObjects(fh.s3Root, bucket)) {
    lines.push(...decodeObject(key, await readObject(fh.s3Root, bucket, key)).toString().split('\n').filter(Boolean));
  }
  return lines.sort();
}

/** Waits until every one of `expected` has been delivered to `bucket`; returns all the lines there. */
export function waitForLines(fh: FirehoseTestServer, bucket: string, expected: readonly string[]): Promise<string[]> {
  return waitFor(async () => {
    const lines = await deliveredLines(fh, bucket);
    return expected.every((line) => lines.includes(line)) ? lines : undefined;
  });
}

/** Polls until `check` returns a value other than undefined. The test runner's timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, pollMs = 20): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await delay(pollMs);
  }
}

/** Waits until the bucket holds at least `count` objects and returns their keys. */
export function waitForObjects(s3Root: string, bucket: string, count: number): Promise<string[]> {
  return waitFor(async () => {
    const keys = await listObjects(s3Root, bucket);
    return keys.length >= count ? keys : undefined;
  });
}

export interface HttpEndpoint {
  /** `http://127.0.0.1:<port>`, without a path. */
  readonly url: string;
  close(): Promise<void>;
}

/** A local HTTP server on an ephemeral port that hands each request, with its whole body, to
 * `onRequest` to answer. */
export async function startHttpEndpoint(onRequest: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<HttpEndpoint> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => onRequest(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers with `body` as JSON (a Content-Length, no chunking). */
export function replyJson(res: ServerResponse, status: number, body: string, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** HTTP endpoint destination against a local receiver that checks Firehose's request contract and
 * injects failures: retries with one request id, 413 as permanent, S3 backup of failed data. */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  CreateDeliveryStreamCommand,
  PutRecordBatchCommand,
  type HttpEndpointDestinationConfiguration,
} from '@aws-sdk/client-firehose';
import { ROLE_ARN, listObjects, readObject, replyJson, startHttpEndpoint, useFirehoseStoreServer, waitFor, waitForObjects, type HttpEndpoint } from './helpers.js';

interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: { requestId: string; timestamp: number; records: Array<{ data: string }> };
}

type Reply = 'ok' | 'fail-500' | 'fail-413' | 'wrong-request-id' | 'chunked' | 'not-json';

/** Answers each path's requests from its reply script (the last reply repeats). */
class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private endpoint!: HttpEndpoint;

  async start(): Promise<void> {
    this.endpoint = await startHttpEndpoint((req, received, res) => {
      const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(received) : received;
      const body = JSON.parse(raw.toString());
      this.requests.push({ path: req.url!, headers: req.headers, body });
      const script = this.scripts.get(req.url!) ?? ['ok'];
      const reply = script.length > 1 ? script.shift()! : script[0]!;
      const answer = (status: number, requestId: string) => replyJson(res, status, JSON.stringify({ requestId, timestamp: Date.now() }));
      if (reply === 'chunked') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ requestId: body.requestId, timestamp: Date.now() }));
      } else if (reply === 'not-json') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
        res.end('OK');
      } else if (reply === 'ok') answer(200, body.requestId);
      else if (reply === 'wrong-request-id') answer(200, 'not-the-request-id');
      else answer(reply === 'fail-413' ? 413 : 500, body.requestId);
    });
  }

  script(path: string, replies: Reply[]): string {
    this.scripts.set(path, replies);
    return this.endpoint.url + path;
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }
}

function httpDestination(url: string, bucket: string, extra: Partial<HttpEndpointDestinationConfiguration> = {}): HttpEndpointDestinationConfiguration {
  return {
    EndpointConfiguration: { Url: url, Name: 'receiver' },
    S3Configuration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${bucket}` },
    ...extra,
  };
}

const decode = (request: ReceivedRequest) => request.body.records.map((record) => Buffer.from(record.data, 'base64').toString());

describe('HTTP endpoint destination', () => {
  const receiver = new Receiver();
  before(() => receiver.start());
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 2 });
  after(() => receiver.close());

  async function put(name: string, ...records: string[]): Promise<void> {
    const result = await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map((r) => ({ Data: Buffer.from(r) })) }));
    assert.equal(result.FailedPutCount, 0);
  }

  it('sends the documented headers and body (gzip, access key, common attributes)', async () => {
    const url = receiver.script('/contract', ['ok']);
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'http-contract',
      HttpEndpointDestinationConfiguration: httpDestination(url, 'contract-backup', {
        EndpointConfiguration: { Url: url, Name: 'receiver', AccessKey: 'secret-key-123' },
        RequestConfiguration: { ContentEncoding: 'GZIP', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }, { AttributeName: 'team', AttributeValue: 'data' }] },
      }),
    }));
    const before = Date.now();
    await put('http-contract', '{"n":1}', '');
    const [request] = await waitFor(() => (receiver.on('/contract').length > 0 ? receiver.on('/contract') : undefined));
    const { headers, body } = request!;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['content-encoding'], 'gzip');
    assert.equal(headers['x-amz-firehose-protocol-version'], '1.0');
    assert.equal(headers['x-amz-firehose-request-id'], body.requestId);
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(headers['x-amz-firehose-source-arn'], 'arn:aws:firehose:us-east-1:000000000000:deliverystream/http-contract');
    assert.equal(headers['x-amz-firehose-access-key'], 'secret-key-123');
    assert.deepEqual(JSON.parse(String(headers['x-amz-firehose-common-attributes'])), { commonAttributes: { env: 'test', team: 'data' } });
    assert.ok(Number.isInteger(body.timestamp) && body.timestamp >= before, 'timestamp is epoch milliseconds');
    assert.deepEqual(decode(request!), ['{"n":1}', '']);
    assert.deepEqual(await listObjects(t.server.s3Root, 'contract-backup'), [], 'FailedDataOnly backs up nothing after a success');
  });

  it('retries failures with the same request id until a 200', async () => {
    const url = receiver.script('/flaky', ['fail-500', 'wrong-request-id', 'ok']);
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'http-flaky', HttpEndpointDestinationConfiguration: httpDestination(url, 'flaky-backup') }));
    await put('http-flaky', 'a', 'b');
    const requests = await waitFor(() => (receiver.on('/flaky').length >= 3 ? receiver.on('/flaky') : undefined));
    assert.equal(new Set(requests.map((request) => request.body.requestId)).size, 1, 'one request id across retries');
    for (const request of requests) assert.deepEqual(decode(request), ['a', 'b']);
    assert.deepEqual(await listObjects(t.server.s3Root, 'flaky-backup'), []);
  });

  it('treats 413 as permanent: no retry and no backup', async () => {
    const url = receiver.script('/too-large', ['fail-413', 'ok']);
    await t.client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'http-413', HttpEndpointDestinationConfiguration: httpDestination(url, 'too-large-backup') }));
    await put('http-413', 'big', 'bigger');
    await put('http-413', 'next', 'batch');
    const requests = await waitFor(() => (receiver.on('/too-large').length >= 2 ? receiver.on('/too-large') : undefined));
    assert.deepEqual(requests.map(decode), [['big', 'bigger'], ['next', 'batch']], 'the 413 batch was sent once, then the next batch');
    assert.deepEqual(await listObjects(t.server.s3Root, 'too-large-backup'), []);
  });

  it('sends failed data to the S3 backup as error records once the retry duration is over', async () => {
    const url = receiver.script('/down', ['fail-500']);
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'http-down',
      HttpEndpointDestinationConfiguration: httpDestination(url, 'down-backup', {
        RetryOptions: { DurationInSeconds: 0 },
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::down-backup', ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/' },
      }),
    }));
    const before = Date.now();
    await put('http-down', 'lost-1', 'lost-2');
    const [key] = await waitForObjects(t.server.s3Root, 'down-backup', 1);
    assert.match(key!, /^failed\/http-endpoint-failed\/http-down-1-/, 'an ErrorOutputPrefix gets no time path appended');
    const lines = (await readObject(t.server.s3Root, 'down-backup', key!)).toString().trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((line) => Buffer.from(line.rawData, 'base64').toString()), ['lost-1', 'lost-2']);
    for (const line of lines) {
      assert.equal(line.attemptsMade, 1);
      assert.equal(line.errorCode, 'HttpEndpoint.DestinationException');
      assert.match(line.errorMessage, /^The following response was received from the endpoint destination\. 500: \{"requestId":"[0-9a-f-]{36}","timestamp":\d+\}$/);
      assert.ok(line.arrivalTimestamp >= before && line.attemptEndingTimestamp >= line.arrivalTimestamp);
    }
  });

  it('appends a newline to each record with the AppendDelimiterToRecord processor', async () => {
    const url = receiver.script('/lines', ['ok']);
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'http-lines',
      HttpEndpointDestinationConfiguration: httpDestination(url, 'lines-backup', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] } }),
    }));
    await put('http-lines', '{"a":1}', '{"a":2}');
    const [request] = await waitFor(() => (receiver.on('/lines').length > 0 ? receiver.on('/lines') : undefined));
    assert.deepEqual(decode(request!), ['{"a":1}\n', '{"a":2}\n']);
  });

  for (const [reply, message] of [
    ['chunked', 'The response has no Content-Length header.'],
    ['not-json', 'The response must have the header Content-Type: application/json.'],
  ] as const) {
    it(`counts a 200 with an invalid response (${reply}) as a failure`, async () => {
      const url = receiver.script(`/invalid-${reply}`, [reply]);
      const name = `http-invalid-${reply}`;
      await t.client.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        HttpEndpointDestinationConfiguration: httpDestination(url, `invalid-${reply}`, { RetryOptions: { DurationInSeconds: 0 } }),
      }));
      await put(name, 'p', 'q');
      const [key] = await waitForObjects(t.server.s3Root, `invalid-${reply}`, 1);
      assert.match(key!, /^http-endpoint-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
      const lines = (await readObject(t.server.s3Root, `invalid-${reply}`, key!)).toString().trim().split('\n').map((line) => JSON.parse(line));
      const expected = `The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue. ${message}`;
      assert.deepEqual(lines.map((line) => line.errorMessage), [expected, expected]);
      assert.deepEqual(lines.map((line) => line.errorCode), ['HttpEndpoint.InvalidResponseFromDestination', 'HttpEndpoint.InvalidResponseFromDestination']);
    });
  }

  it('also writes every batch to S3 with S3BackupMode AllData', async () => {
    const url = receiver.script('/all-data', ['ok']);
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'http-all',
      HttpEndpointDestinationConfiguration: httpDestination(url, 'all-backup', { S3BackupMode: 'AllData' }),
    }));
    await put('http-all', 'x', 'y');
    const [key] = await waitForObjects(t.server.s3Root, 'all-backup', 1);
    assert.equal((await readObject(t.server.s3Root, 'all-backup', key!)).toString(), 'xy');
    assert.equal(receiver.on('/all-data').length, 1);
  });
});

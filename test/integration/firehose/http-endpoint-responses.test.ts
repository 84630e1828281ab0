/**
 * How the HTTP endpoint destination judges what an endpoint answers, per AWS's response
 * specification and troubleshooting guide: each kind of failure ends, once the retry duration is
 * over (0 s here), as error records carrying AWS's error code and message for it.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { firehoseMetricsText } from '../../../src/api/firehose/index.js';
import { ROLE_ARN, listObjects, readObject, replyJson, startHttpEndpoint, useFirehoseStoreServer, waitFor, waitForObjects, type HttpEndpoint } from './helpers.js';

type Handler = (request: { requestId: string; body: Buffer }, res: ServerResponse, req: IncomingMessage) => void;

const INVALID = 'The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue.';

/** One handler per path; every request is counted. */
class Endpoint {
  private readonly handlers = new Map<string, Handler>();
  readonly hits = new Map<string, number>();
  private endpoint!: HttpEndpoint;

  get url(): string {
    return this.endpoint.url;
  }

  async start(): Promise<void> {
    this.endpoint = await startHttpEndpoint((req, body, res) => {
      this.hits.set(req.url!, (this.hits.get(req.url!) ?? 0) + 1);
      this.handlers.get(req.url!)!({ requestId: JSON.parse(body.toString()).requestId, body }, res, req);
    });
  }

  handle(path: string, handler: Handler): string {
    this.handlers.set(path, handler);
    return this.url + path;
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }
}

describe('HTTP endpoint responses', () => {
  const endpoint = new Endpoint();
  before(() => endpoint.start());
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 1 });
  after(() => endpoint.close());

  /** Creates a delivery stream to `url` that gives up at the first failure, puts one record and
   * returns the error records it wrote, or [] once the endpoint has seen the request and, for a
   * success, nothing was backed up. */
  async function deliverOnce(name: string, url: string, path: string, expectFailure: boolean): Promise<any[]> {
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: url },
        RetryOptions: { DurationInSeconds: 0 },
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${name}` },
      },
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from(`payload of ${name}`) }] }));
    if (!expectFailure) {
      const delivered = new RegExp(`^runnel_firehose_delivered_records_total\\{delivery_stream="${name}"\\} 1$`, 'm');
      await waitFor(() => (delivered.test(firehoseMetricsText()) ? true : undefined));
      assert.equal(endpoint.hits.get(path), 1);
      assert.deepEqual(await listObjects(t.server.s3Root, name), []);
      return [];
    }
    const [key] = await waitForObjects(t.server.s3Root, name, 1);
    assert.match(key!, new RegExp(`^http-endpoint-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`));
    const records = (await readObject(t.server.s3Root, name, key!)).toString().trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((record) => Buffer.from(record.rawData, 'base64').toString()), [`payload of ${name}`]);
    return records;
  }

  it('accepts a 200 whose Content-Type has parameters', async () => {
    const url = endpoint.handle('/charset', ({ requestId }, res) => replyJson(res, 200, JSON.stringify({ requestId, timestamp: Date.now() }), { 'Content-Type': 'application/json; charset=utf-8' }));
    await deliverOnce('http-charset', url, '/charset', false);
  });

  it('quotes the status and the endpoint\'s answer in HttpEndpoint.DestinationException', async () => {
    let answer = '';
    const url = endpoint.handle('/unavailable', ({ requestId }, res) => {
      answer = JSON.stringify({ requestId, timestamp: Date.now(), errorMessage: 'Unable to deliver records due to unknown error.' });
      replyJson(res, 503, answer);
    });
    const [record] = await deliverOnce('http-unavailable', url, '/unavailable', true);
    assert.equal(record.errorCode, 'HttpEndpoint.DestinationException');
    assert.equal(record.errorMessage, `The following response was received from the endpoint destination. 503: ${answer}`);
    assert.equal(record.attemptsMade, 1);
  });

  it('counts a 2xx other than 200 as a destination exception', async () => {
    let answer = '';
    const url = endpoint.handle('/created', ({ requestId }, res) => {
      answer = JSON.stringify({ requestId, timestamp: Date.now() });
      replyJson(res, 201, answer);
    });
    const [record] = await deliverOnce('http-created', url, '/created', true);
    assert.equal(record.errorCode, 'HttpEndpoint.DestinationException');
    assert.equal(record.errorMessage, `The following response was received from the endpoint destination. 201: ${answer}`);
  });

  it('does not follow a redirect: a 3xx is a destination exception', async () => {
    const url = endpoint.handle('/moved', (_request, res) => replyJson(res, 302, '', { Location: `${endpoint.url}/charset` }));
    const [record] = await deliverOnce('http-moved', url, '/moved', true);
    assert.equal(record.errorCode, 'HttpEndpoint.DestinationException');
    assert.equal(record.errorMessage, 'The following response was received from the endpoint destination. 302: ');
    assert.equal(endpoint.hits.get('/moved'), 1);
  });

  for (const [label, body] of [
    ['without a timestamp', (requestId: string) => JSON.stringify({ requestId })],
    ['with a string timestamp', (requestId: string) => JSON.stringify({ requestId, timestamp: '1578090903599' })],
    ['without a requestId', () => JSON.stringify({ timestamp: 1578090903599 })],
    ['that is a JSON array', () => '[]'],
  ] as const) {
    it(`refuses a 200 ${label} as HttpEndpoint.InvalidResponseFromDestination`, async () => {
      let answer = '';
      let sentId = '';
      const path = `/invalid-${label.replace(/\W+/g, '-')}`;
      const url = endpoint.handle(path, ({ requestId }, res) => {
        sentId = requestId;
        answer = body(requestId);
        replyJson(res, 200, answer);
      });
      const [record] = await deliverOnce(`http${path.replace('/', '-')}`, url, path, true);
      assert.equal(record.errorCode, 'HttpEndpoint.InvalidResponseFromDestination');
      assert.equal(record.errorMessage, `${INVALID} Response for request ${sentId} is not recognized as valid JSON or has unexpected fields. Raw response received: 200 ${answer}`);
    });
  }

  it('refuses a 200 without Content-Type: application/json', async () => {
    const url = endpoint.handle('/no-type', ({ requestId }, res) => {
      const body = JSON.stringify({ requestId, timestamp: Date.now() });
      res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    const [record] = await deliverOnce('http-no-type', url, '/no-type', true);
    assert.equal(record.errorCode, 'HttpEndpoint.InvalidResponseFromDestination');
    assert.equal(record.errorMessage, `${INVALID} The response must have the header Content-Type: application/json.`);
  });

  it('refuses a response over 1 MiB as HttpEndpoint.ResponseTooLarge', async () => {
    const url = endpoint.handle('/huge', ({ requestId }, res) => replyJson(res, 200, JSON.stringify({ requestId, timestamp: Date.now(), padding: 'x'.repeat(1024 * 1024) })));
    const [record] = await deliverOnce('http-huge', url, '/huge', true);
    assert.equal(record.errorCode, 'HttpEndpoint.ResponseTooLarge');
  });

  it('reports a connection closed without an answer as HttpEndpoint.ConnectionReset', async () => {
    const url = endpoint.handle('/reset', (_request, res) => res.socket!.destroy());
    const [record] = await deliverOnce('http-reset', url, '/reset', true);
    assert.equal(record.errorCode, 'HttpEndpoint.ConnectionReset');
  });

  it('reports an endpoint nobody listens on as HttpEndpoint.ConnectionFailed', async () => {
    const closed = await startHttpEndpoint(() => undefined);
    await closed.close();
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'http-refused',
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: `${closed.url}/` },
        RetryOptions: { DurationInSeconds: 0 },
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: 'arn:aws:s3:::http-refused' },
      },
    }));
    await t.client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'http-refused', Records: [{ Data: Buffer.from('nobody home') }] }));
    const [key] = await waitForObjects(t.server.s3Root, 'http-refused', 1);
    const [record] = (await readObject(t.server.s3Root, 'http-refused', key!)).toString().trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(record.errorCode, 'HttpEndpoint.ConnectionFailed');
    assert.match(record.errorMessage, /^Could not connect to the endpoint: .*ECONNREFUSED/);
    assert.equal(Buffer.from(record.rawData, 'base64').toString(), 'nobody home');
  });
});

/**
 * RetryOptions.DurationInSeconds as AWS defines it: it "starts after the initial attempt to send
 * data ... fails" and "doesn't include the periods during which Firehose waits for acknowledgment
 * from the specified destination after each attempt". The server's clock is the test's: an
 * endpoint that takes ten minutes (of that clock) to answer still gets its retries within a
 * 60-second retry duration, while the back-off waits between attempts do count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import { firehoseMetricsText } from '../../../src/api/firehose/index.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { ROLE_ARN, listObjects, readObject, replyJson, startHttpEndpoint, useFirehoseStoreServer, waitFor, type HttpEndpoint } from './helpers.js';

const TEN_MINUTES = 10 * 60 * 1000;

describe('HTTP endpoint retry duration', { timeout: 60_000 }, () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
  let endpoint: HttpEndpoint;
  /** Per path: the statuses to answer in turn (the last repeats) and how many requests came. */
  const scripts = new Map<string, number[]>();
  const hits = new Map<string, number>();
  /** Per path: clock time each request arrived. */
  const arrivals = new Map<string, number[]>();

  before(async () => {
    endpoint = await startHttpEndpoint((req, body, res) => {
      const { requestId } = JSON.parse(body.toString());
      const path = req.url!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      arrivals.set(path, [...(arrivals.get(path) ?? []), clock.now()]);
      const script = scripts.get(path)!;
      const status = script.length > 1 ? script.shift()! : script[0]!;
      clock.advance(TEN_MINUTES);
      replyJson(res, status, JSON.stringify({ requestId, timestamp: clock.now() }));
    });
  });
  const t = useFirehoseStoreServer({ firehoseFlushRecords: 1 }, { clock });
  after(() => endpoint.close());

  async function deliver(name: string, statuses: number[]): Promise<void> {
    scripts.set(`/${name}`, statuses);
    await t.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: `${endpoint.url}/${name}` },
        RetryOptions: { DurationInSeconds: 60 },
        S3Configuration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${name}` },
      },
    }));
    await t.client.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from(`record of ${name}`) } }));
  }

  it('does not count the time spent waiting for the endpoint\'s answers', async () => {
    await deliver('slow-answers', [500, 500, 200]);
    await waitFor(() => ((hits.get('/slow-answers') ?? 0) >= 3 ? true : undefined));
    const times = arrivals.get('/slow-answers')!;
    assert.ok(times[2]! - times[0]! >= 2 * TEN_MINUTES, 'the third attempt came twenty minutes (of answer waiting) after the first');
    await waitFor(() => (/^runnel_firehose_delivered_records_total\{delivery_stream="slow-answers"\} 1$/m.test(firehoseMetricsText()) ? true : undefined));
    assert.deepEqual(await listObjects(t.server.s3Root, 'slow-answers'), []);
  });

  it('gives up once the back-off waits alone use up the retry duration', async () => {
    await deliver('gives-up', [500]);
    await waitFor(() => ((hits.get('/gives-up') ?? 0) >= 2 ? true : undefined));
    // Back-off waits are real time, not this clock: move the clock past the retry duration
    // while the worker waits before its next attempt (a move that lands while a request is out
    // counts as waiting for the answer, so keep moving it until the batch is given up).
    const key = await waitFor(async () => {
      clock.advance(61_000);
      return (await listObjects(t.server.s3Root, 'gives-up'))[0];
    });
    const [record] = (await readObject(t.server.s3Root, 'gives-up', key)).toString().trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(record.errorCode, 'HttpEndpoint.DestinationException');
    assert.ok(record.attemptsMade >= 3, `attempts: ${record.attemptsMade}`);
    assert.equal(Buffer.from(record.rawData, 'base64').toString(), 'record of gives-up');
  });
});

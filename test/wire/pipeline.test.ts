/** The request pipeline through raw HTTP/1.1 and h2c requests: each stage's AWS answer. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { http1Request, http2Request, DUMMY_AUTH_HEADERS, type RawRequest, type RawResponse } from '../helpers/raw-http.js';
import { JSON_HEADERS, startTestWire, target, type TestWire } from './fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const transports: Array<[string, (endpoint: string, request: RawRequest) => Promise<RawResponse>]> = [
  ['HTTP/1.1', http1Request],
  ['h2c', http2Request],
];

function call(operation: string, body: string, extra: Record<string, string> = {}): RawRequest {
  return { headers: { ...JSON_HEADERS, ...target(operation), ...DUMMY_AUTH_HEADERS, ...extra }, body };
}

for (const [transport, send] of transports) {
  describe(`pipeline over ${transport}`, () => {
    let wire: TestWire;
    before(async () => {
      wire = await startTestWire({
        routes: new Map([
          ['/metrics', async () => ({ contentType: 'text/plain', body: 'm 1\n' })],
          ['/broken', async () => ({ contentType: 'text/plain\r\nx-injected: 1', body: '' })],
        ]),
      });
    });
    after(() => wire.server.close());

    test('a valid call answers 200 in JSON 1.1 with request-id headers', async () => {
      const res = await send(wire.endpoint, call('ListStreams', '{}'));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
      assert.match(String(res.headers['x-amzn-requestid']), UUID);
      assert.equal(Buffer.from(String(res.headers['x-amz-id-2']), 'base64').length, 72);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.deepEqual(res.json(), { StreamNames: ['alpha'], HasMoreStreams: false });
    });

    test('each request gets its own request id, also handed to the handler', async () => {
      const first = await send(wire.endpoint, call('ListStreams', '{}'));
      const second = await send(wire.endpoint, call('ListStreams', '{}'));
      assert.notEqual(first.headers['x-amzn-requestid'], second.headers['x-amzn-requestid']);
      assert.equal(wire.recorded.inputs.at(-1)!.ctx.requestId, second.headers['x-amzn-requestid']);
      assert.equal(wire.recorded.inputs.at(-1)!.ctx.accessKeyId, 'AKIDEXAMPLE');
    });

    test('blobs leave as base64 and timestamps as epoch seconds; undefined members are omitted', async () => {
      const res = await send(wire.endpoint, call('PutRecord', JSON.stringify({ StreamName: 's', PartitionKey: 'k', Data: Buffer.from('hello').toString('base64') })));
      assert.equal(res.status, 200);
      const body = res.json();
      assert.equal(body.EchoData, Buffer.from('hello').toString('base64'));
      assert.equal(body.EchoTimestamp, 1704164645.678);
      assert.equal('EncryptionType' in body, false);
      const input = wire.recorded.inputs.at(-1)!.input;
      assert.ok(Buffer.isBuffer(input.Data));
      assert.equal(input.Data.toString(), 'hello');
    });

    test('an operation without output answers 200 with an empty body', async () => {
      const res = await send(wire.endpoint, call('DeleteStream', '{"StreamName":"s"}'));
      assert.equal(res.status, 200);
      assert.equal(res.body.length, 0);
    });

    test('GET / and /health answer 200 for readiness probes; registered routes are served', async () => {
      for (const path of ['/', '/health']) {
        const res = await send(wire.endpoint, { method: 'GET', path });
        assert.equal(res.status, 200, path);
        assert.match(String(res.headers['x-amzn-requestid']), UUID);
      }
      const metrics = await send(wire.endpoint, { method: 'GET', path: '/metrics' });
      assert.equal(metrics.status, 200);
      assert.equal(metrics.headers['content-type'], 'text/plain');
      assert.equal(metrics.body.toString(), 'm 1\n');
    });

    test('a reply Node refuses to write drops that exchange only; the server keeps serving', async () => {
      // HTTP/1.1 refuses the header value; HTTP/2 may encode it. Either way nothing else breaks.
      const outcome = await send(wire.endpoint, { method: 'GET', path: '/broken' }).then(() => 'answered', () => 'dropped');
      if (transport === 'HTTP/1.1') assert.equal(outcome, 'dropped');
      if (outcome === 'dropped') assert.ok(wire.logs.some((line) => line.msg === 'reply failed'));
      assert.equal((await send(wire.endpoint, { method: 'GET', path: '/health' })).status, 200);
    });

    test('a method other than POST is a 403 AccessDeniedException in XML', async () => {
      for (const [method, path] of [['GET', '/nothing-here'], ['PUT', '/'], ['DELETE', '/']] as const) {
        const res = await send(wire.endpoint, { method, path, headers: { ...JSON_HEADERS, ...target('ListStreams') }, body: method === 'GET' ? undefined : '{}' });
        assert.equal(res.status, 403, method);
        assert.equal(
          res.body.toString(),
          '<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be authorized</Message>\n</AccessDeniedException>\n',
        );
      }
    });

    test('CORS: a preflight is answered, and every response allows any origin', async () => {
      const preflight = await send(wire.endpoint, {
        method: 'OPTIONS',
        headers: { origin: 'http://example.com', 'access-control-request-headers': 'content-type,x-amz-target', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 200);
      assert.equal(preflight.headers['access-control-allow-origin'], '*');
      assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-amz-target');
      assert.equal(preflight.headers['access-control-allow-methods'], 'POST');
      assert.equal(preflight.headers['access-control-max-age'], '172800');
      assert.equal(preflight.headers['x-amz-id-2'], undefined);
      assert.equal(preflight.body.length, 0);

      const res = await send(wire.endpoint, call('ListStreams', '{}', { origin: 'http://example.com' }));
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.match(String(res.headers['access-control-expose-headers']), /x-amzn-RequestId/);
    });

    test('a body that is not a JSON object is a SerializationException without message', async () => {
      for (const body of ['{not json', '[]', '"text"', '42', 'null']) {
        const res = await send(wire.endpoint, call('ListStreams', body));
        assert.equal(res.status, 400, body);
        assert.deepEqual(res.json(), { __type: 'SerializationException' }, body);
        assert.equal(res.headers['x-amzn-errortype'], 'SerializationException');
        assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
        assert.match(String(res.headers['x-amzn-requestid']), UUID);
      }
    });

    test('an unparseable body wins over an unknown operation, as on AWS', async () => {
      const res = await send(wire.endpoint, call('NoSuchOperation', '{not json'));
      assert.deepEqual(res.json(), { __type: 'SerializationException' });
    });

    test('an empty body: SerializationException for a known operation, UnknownOperationException otherwise', async () => {
      assert.deepEqual((await send(wire.endpoint, call('ListStreams', ''))).json(), { __type: 'SerializationException' });
      const unknown = await send(wire.endpoint, call('Nope', ''));
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.json(), { __type: 'UnknownOperationException' });
    });

    test('an unknown operation or service prefix is an UnknownOperationException', async () => {
      for (const header of ['Kinesis_20131202.Nope', 'Firehose_20150804.ListStreams', 'Kinesis_20131202', 'garbage']) {
        const res = await send(wire.endpoint, { headers: { ...JSON_HEADERS, ...DUMMY_AUTH_HEADERS, 'x-amz-target': header }, body: '{}' });
        assert.equal(res.status, 400, header);
        assert.deepEqual(res.json(), { __type: 'UnknownOperationException' }, header);
        assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
      }
    });

    test('an operation AWS has but the service does not implement is unknown to the client and logged', async () => {
      const res = await send(wire.endpoint, call('PutRecords', '{}'));
      assert.deepEqual(res.json(), { __type: 'UnknownOperationException' });
      assert.ok(wire.logs.some((line) => line.msg === 'operation not implemented' && line.target === 'Kinesis_20131202.PutRecords'));
    });

    test('an unexpected failure is logged with its stack and the request id', async () => {
      const res = await send(wire.endpoint, call('DescribeLimits', '{}'));
      const logged = wire.logs.find((line) => line.msg === 'request failed' && line.requestId === res.headers['x-amzn-requestid']);
      assert.ok(logged);
      assert.match(String(logged.error), /boom: secret internal detail\n\s+at /);
    });

    test('an unsupported content type: 404 UnknownOperationException with a target, 403 AccessDenied without', async () => {
      const withTarget = await send(wire.endpoint, { headers: { 'content-type': 'text/plain', ...target('ListStreams') }, body: '{}' });
      assert.equal(withTarget.status, 404);
      assert.equal(withTarget.body.toString(), '<UnknownOperationException/>\n');
      const withoutTarget = await send(wire.endpoint, { headers: { 'content-type': 'text/plain' }, body: '{}' });
      assert.equal(withoutTarget.status, 403);
      assert.match(withoutTarget.body.toString(), /^<AccessDeniedException>/);
    });

    test('application/json is accepted and echoed as the response type', async () => {
      const res = await send(wire.endpoint, call('ListStreams', '{}', { 'content-type': 'application/json; charset=utf-8' }));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json');
    });

    test('no Authorization header and no presigned query is a MissingAuthenticationTokenException', async () => {
      const res = await send(wire.endpoint, { headers: { ...JSON_HEADERS, ...target('ListStreams') }, body: '{}' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    });

    test('an incomplete Authorization header is an IncompleteSignatureException naming every missing part', async () => {
      const authorization = 'AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/kinesis/aws4_request';
      const res = await send(wire.endpoint, { headers: { ...JSON_HEADERS, ...target('ListStreams'), authorization }, body: '{}' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), {
        __type: 'IncompleteSignatureException',
        message:
          "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          `Authorization=${authorization}`,
      });
    });

    test('an incomplete presigned query is an IncompleteSignatureException', async () => {
      const res = await send(wire.endpoint, { path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z', headers: { ...JSON_HEADERS, ...target('ListStreams') }, body: '{}' });
      assert.deepEqual(res.json(), {
        __type: 'IncompleteSignatureException',
        message:
          "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
          "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
      });
    });

    test('a header signature and a presigned query together are an InvalidSignatureException', async () => {
      const res = await send(wire.endpoint, { ...call('ListStreams', '{}'), path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256' });
      assert.deepEqual(res.json(), {
        __type: 'InvalidSignatureException',
        message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      });
    });

    test('an AwsError carries its status, type header and extra members', async () => {
      const res = await send(wire.endpoint, call('DescribeStream', '{"StreamName":"x"}'));
      assert.equal(res.status, 400);
      assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
      assert.deepEqual(res.json(), { __type: 'ResourceNotFoundException', message: 'Stream x under account 000000000000 not found.', code: 'Extra' });
    });

    test('an unexpected handler failure is a 500 InternalFailure without details', async () => {
      const res = await send(wire.endpoint, call('DescribeLimits', '{}'));
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), { __type: 'InternalFailure' });
      assert.doesNotMatch(res.body.toString(), /boom|secret|at /);
      assert.equal(res.headers['x-amzn-errortype'], 'InternalFailure');
    });

    test('the handler signal aborts when the client goes away', async () => {
      const client = new AbortController();
      const pending = send(wire.endpoint, { ...call('DescribeStreamSummary', '{"StreamName":"s"}'), signal: client.signal }).catch(() => undefined);
      while (!wire.recorded.inputs.some((entry) => entry.operation === 'DescribeStreamSummary')) await new Promise((r) => setImmediate(r));
      const { ctx } = wire.recorded.inputs.find((entry) => entry.operation === 'DescribeStreamSummary')!;
      assert.equal(ctx.signal.aborted, false);
      client.abort();
      assert.equal(await wire.recorded.aborted, 'DescribeStreamSummary');
      assert.equal(ctx.signal.aborted, true);
      await pending;
    });
  });
}

describe('large bodies', () => {
  let wire: TestWire;
  before(async () => { wire = await startTestWire(); });
  after(() => wire.server.close());

  for (const [transport, send] of transports) {
    test(`a 12 MiB body is read whole (${transport})`, async () => {
      const body = JSON.stringify({ ExclusiveStartStreamName: 'x'.repeat(12 * 1024 * 1024) });
      const res = await send(wire.endpoint, call('ListStreams', body));
      // Decoding succeeded, so every byte arrived; the model then rejects the 12 MiB name.
      assert.equal(res.json().__type, 'ValidationException');
    });
  }
});

describe('request size cap', () => {
  let wire: TestWire;
  before(async () => { wire = await startTestWire({ maxRequestBytes: 1024 }); });
  after(() => wire.server.close());

  for (const [transport, send] of transports) {
    test(`a body over the cap is a 413 without body (${transport})`, async () => {
      const res = await send(wire.endpoint, call('ListStreams', JSON.stringify({ ExclusiveStartStreamName: 'x'.repeat(2000) })));
      assert.equal(res.status, 413);
      assert.equal(res.body.length, 0);
      const ok = await send(wire.endpoint, call('ListStreams', '{}'));
      assert.equal(ok.status, 200);
    });
  }
});

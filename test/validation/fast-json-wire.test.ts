/**
 * The JSON fast path through the server: a body the fast path reads and the same request forced
 * onto the general path (one character of the stream name written as a JSON escape) get the same
 * reply, status, error type and message; the same request in CBOR gets the same error too.
 * (The member name "StreamName" written with a JSON escape sends a body down the general path.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode, encode } from 'cbor-x';
import { DUMMY_AUTH_HEADERS, http1Request, type RawResponse } from '../helpers/raw-http.js';
import { startTestServer, type RunningServer } from '../helpers/server.js';

function call(endpoint: string, operation: string, contentType: string, body: string | Buffer): Promise<RawResponse> {
  return http1Request(endpoint, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-amz-target': `Kinesis_20131202.${operation}`, ...DUMMY_AUTH_HEADERS },
    body,
  });
}

/** The same JSON text with one character of the member name escaped, which the fast path declines. */
function viaGeneralPath(body: string): string {
  const forced = body.replace('"StreamName"', '"Stream\\u004eame"');
  assert.notEqual(forced, body);
  return forced;
}

interface Case {
  readonly name: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly errorType: string;
}

const DATA = Buffer.from('record data');

const CASES: readonly Case[] = [
  {
    name: 'an empty partition key and a bad explicit hash key',
    operation: 'PutRecords',
    input: { StreamName: 's', Records: [{ Data: DATA, PartitionKey: 'a' }, { Data: DATA, PartitionKey: '', ExplicitHashKey: 'x' }] },
    errorType: 'ValidationException',
  },
  {
    name: '501 records',
    operation: 'PutRecords',
    input: { StreamName: 's', Records: Array.from({ length: 501 }, () => ({ Data: DATA, PartitionKey: '' })) },
    errorType: 'ValidationException',
  },
  {
    name: 'a record without partition key',
    operation: 'PutRecords',
    input: { StreamName: 's', Records: [{ Data: DATA }] },
    errorType: 'ValidationException',
  },
  {
    name: 'a stream that does not exist',
    operation: 'PutRecords',
    input: { StreamName: 'stream-that-does-not-exist', Records: [{ Data: DATA, PartitionKey: 'k' }] },
    errorType: 'ResourceNotFoundException',
  },
  {
    name: 'PutRecord with a 257-character partition key',
    operation: 'PutRecord',
    input: { StreamName: 's', Data: DATA, PartitionKey: 'k'.repeat(257) },
    errorType: 'ValidationException',
  },
];

function asJson(input: Record<string, unknown>): string {
  return JSON.stringify(input, (_key, value: unknown) => (
    value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
      ? Buffer.from((value as { data: number[] }).data).toString('base64')
      : value
  ));
}

describe('JSON fast path through the server', () => {
  let server: RunningServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  for (const testCase of CASES) {
    it(`${testCase.name}: same error on the fast path, the general path and in CBOR`, async () => {
      const body = asJson(testCase.input);
      const fast = await call(server.endpoint, testCase.operation, 'application/x-amz-json-1.1', body);
      const general = await call(server.endpoint, testCase.operation, 'application/x-amz-json-1.1', viaGeneralPath(body));
      assert.equal(fast.headers['x-amzn-errortype'], testCase.errorType);
      assert.equal(fast.status, general.status);
      assert.equal(fast.headers['x-amzn-errortype'], general.headers['x-amzn-errortype']);
      assert.deepEqual(fast.json(), general.json());

      const cbor = await call(server.endpoint, testCase.operation, 'application/x-amz-cbor-1.1', encode(testCase.input));
      assert.equal(cbor.status, fast.status);
      assert.equal(cbor.headers['x-amzn-errortype'], testCase.errorType);
      const cborError = decode(cbor.body) as Record<string, unknown>;
      assert.deepEqual(cborError, fast.json());
    });
  }
});

/**
 * The JSON fast path (fast-json.ts) against the general path (JSON.parse, then parseInput): for
 * every body, the fast path either declines or gives exactly the general path's input — and, after
 * the constraint pass, exactly its error.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { checkCoercedInput, fastCoerceJsonInput, parseInput, type ModelName } from '../../src/api/validation/index.js';
import { codecFor } from '../../src/wire/codecs/index.js';

const json = codecFor('application/x-amz-json-1.1')!;

type Outcome = { input: unknown } | { error: { name: string; message: string } };

function outcomeOf(run: () => unknown): Outcome {
  try {
    return { input: run() };
  } catch (err) {
    const error = err as Error;
    return { error: { name: error.name, message: error.message } };
  }
}

function general(model: ModelName, operation: string, body: Buffer): Outcome {
  return outcomeOf(() => parseInput(model, operation, json.decode(body), 'json'));
}

/** Runs both paths; returns whether the fast path took the body. */
function compare(model: ModelName, operation: string, text: string | Buffer): boolean {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const coerced = fastCoerceJsonInput(model, operation, body);
  if (coerced === undefined) return false;
  assert.deepEqual(outcomeOf(() => checkCoercedInput(model, operation, coerced)), general(model, operation, body), `body: ${body.toString('utf8').slice(0, 200)}`);
  return true;
}

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

describe('JSON fast path', () => {
  test('takes SDK-shaped PutRecords, PutRecord, GetRecords and PutRecordBatch bodies and gives the general input', () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ Data: b64(i % 7 === 0 ? 0 : 100 + i), PartitionKey: `pk-${i}` }));
    assert.ok(compare('kinesis', 'PutRecords', JSON.stringify({ StreamName: 'bench', Records: records })));
    assert.ok(compare('kinesis', 'PutRecords', JSON.stringify({ Records: [{ PartitionKey: 'a', ExplicitHashKey: '7', Data: 'QQ==' }], StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })));
    assert.ok(compare('kinesis', 'PutRecords', ' {\n "StreamName" : "s" ,\t"Records" : [ { "Data" : "QUI=" , "PartitionKey" : "k" } ]\r\n} '));
    assert.ok(compare('kinesis', 'PutRecord', JSON.stringify({ StreamName: 's', Data: b64(100), PartitionKey: 'k', SequenceNumberForOrdering: '1' })));
    assert.ok(compare('kinesis', 'GetRecords', JSON.stringify({ ShardIterator: 'AAAA', Limit: 10000 })));
    assert.ok(compare('kinesis', 'GetRecords', JSON.stringify({ ShardIterator: 'AAAA', Limit: 0 })));
    assert.ok(compare('firehose', 'PutRecordBatch', JSON.stringify({ DeliveryStreamName: 'd', Records: [{ Data: b64(10) }, { Data: b64(11) }] })));
    assert.ok(compare('kinesis', 'PutRecords', '{}'));
    assert.ok(compare('kinesis', 'PutRecords', '{"StreamName":"s_-","Records":[{"Data":"QUJD","PartitionKey":"-"},{"Data":"QUJD","PartitionKey":"_"},{"Data":"QUJD","PartitionKey":"k_-"}]}'));
  });

  test('input the general path refuses in its constraint pass gives the same ValidationException', () => {
    const tooMany = Array.from({ length: 501 }, () => ({ Data: '', PartitionKey: '' }));
    for (const body of [
      JSON.stringify({ StreamName: 's', Records: tooMany }),
      JSON.stringify({ StreamName: 's', Records: [] }),
      JSON.stringify({ StreamName: '', Records: [{ Data: 'QQ==', PartitionKey: '' }] }),
      JSON.stringify({ StreamName: 'bad name!', Records: [{ Data: 'QQ==', PartitionKey: 'x'.repeat(257), ExplicitHashKey: '-1' }] }),
      JSON.stringify({ StreamName: 's', Records: [{ Data: 'QQ==' }, { PartitionKey: 'k' }] }),
      JSON.stringify({ StreamName: 's' }),
      JSON.stringify({ ShardIterator: '', Limit: 0 }),
      JSON.stringify({ StreamName: 's', Data: 'QQ==', PartitionKey: 'k', ExplicitHashKey: '0x10' }),
    ]) {
      const operation = body.includes('ShardIterator') ? 'GetRecords' : body.includes('"Records"') ? 'PutRecords' : body.includes('"Data"') ? 'PutRecord' : 'PutRecords';
      assert.ok(compare('kinesis', operation, body), body.slice(0, 100));
      assert.ok('error' in general('kinesis', operation, Buffer.from(body)), body.slice(0, 100));
    }
  });

  test('declines what it cannot read with certainty; the general path then answers', () => {
    const declined = [
      '{"StreamName":"s\\u0041","Records":[{"Data":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"ü","Records":[{"Data":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k","Unknown":"x"}]}',
      '{"StreamName":"s","Records":[{"Datb":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Dat":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data\u0001":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"data":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"PartitionKey":"k","Data":"QQ==","PartitionKey":"j"}]}',
      '{"StreamName":"s","StreamName":"t","Records":[{"Data":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","Data":"QUI=","PartitionKey":"k"}]}',
      '{"StreamName":null,"Records":[{"Data":"QQ==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[null]}',
      '{"StreamName":"s","Records":{"Data":"QQ=="}}',
      '{"StreamName":"s","Records":[{"Data":"QQ=","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QR==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"Q-==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k-_"},{"Data":"Q_==","PartitionKey":"k"}]}',
      '{"StreamName":"s_-","Records":[{"Data":"QUJD","PartitionKey":"-"},{"Data":"QUJD","PartitionKey":"_"},{"Data":"QU-D","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"Q Q==","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==AAAA","PartitionKey":"k"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k\u0001"}]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k"}]}x',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k"},]}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k"}]',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"k"',
      '{"StreamName":"s",}',
      '{"StreamName":1}',
      '{"StreamName":true}',
      '["StreamName"]',
      'null',
      '\ufeff{"StreamName":"s"}',
      '{"ShardIterator":"a","Limit":1.5}',
      '{"ShardIterator":"a","Limit":1e3}',
      '{"ShardIterator":"a","Limit":-1}',
      '{"ShardIterator":"a","Limit":01}',
      '{"ShardIterator":"a","Limit":2147483648}',
      '{"ShardIterator":"a","Limit":"5"}',
    ];
    for (const body of declined) {
      const operation = body.includes('ShardIterator') ? 'GetRecords' : 'PutRecords';
      assert.equal(compare('kinesis', operation, body), false, body);
    }
  });

  test('members come out in model order, as the general path builds them, whatever the body order', () => {
    const keyOrder = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(keyOrder)
        : value !== null && typeof value === 'object' && !Buffer.isBuffer(value) ? Object.entries(value).map(([key, member]) => [key, keyOrder(member)])
          : null;
    for (const body of [
      '{"Records":[{"PartitionKey":"a","ExplicitHashKey":"7","Data":"QQ=="},{"Data":"QQ==","PartitionKey":"b"}],"StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","StreamName":"s"}',
      '{"StreamName":"s","Records":[{"Data":"QQ==","PartitionKey":"a","ExplicitHashKey":"7"}]}',
      '{"StreamName":"s","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/s","Records":[{"ExplicitHashKey":"7","Data":"QQ==","PartitionKey":"a"}]}',
    ]) {
      const fast = fastCoerceJsonInput('kinesis', 'PutRecords', Buffer.from(body));
      assert.ok(fast, body);
      assert.deepEqual(keyOrder(fast), keyOrder(parseInput('kinesis', 'PutRecords', json.decode(Buffer.from(body)), 'json')), body);
    }
  });

  test('blobs are exactly the bytes the general path decodes', () => {
    const data = [randomBytes(0), randomBytes(1), randomBytes(2), randomBytes(3), randomBytes(1024), randomBytes(65536)];
    const body = Buffer.from(JSON.stringify({ StreamName: 's', Records: data.map((bytes, i) => ({ Data: bytes.toString('base64'), PartitionKey: String(i) })) }));
    const fast = fastCoerceJsonInput('kinesis', 'PutRecords', body) as { Records: { Data: Buffer }[] };
    assert.deepEqual(fast.Records.map((record) => Buffer.from(record.Data)), data);
  });
});

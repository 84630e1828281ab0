/**
 * The client-ceiling server: node:http answering each Kinesis operation the SDK clients of ingest
 * and drain call with one response built at start, shaped like a real one. PutRecords gets a
 * success entry (sequence number and shard id) for each of a full batch's records, GetRecords a
 * page of records with real base64 data, GetShardIterator a fixed iterator; anything else `{}`.
 * The server's cost per request is reading the request and writing a ready buffer, so what the
 * clients spend (signing and encoding requests, parsing and decoding answers) is the client side
 * alone. Run as `node null-kinesis-server.mjs PORT PUT_BATCH_RECORDS GET_RECORDS RECORD_BYTES`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const [port, putBatchRecords, getRecordsCount, recordBytes] = process.argv.slice(2).map(Number);

/** Iterators shaped like Runnel's (base64 of an opaque, signed token). */
const ITERATOR = randomBytes(54).toString('base64');
const NEXT_ITERATOR = randomBytes(54).toString('base64');
/** A 56-digit sequence number as Kinesis issues them; successive records of a shard differ by 2^80 in Runnel's layout. */
const FIRST_SEQUENCE_NUMBER = 49680641330784245833100608003143744162137679185668210690n;
const SEQUENCE_STEP = 2n ** 80n;
const SHARDS = 4;

const sequenceNumber = (i) => String(FIRST_SEQUENCE_NUMBER + BigInt(i) * SEQUENCE_STEP);
const shardId = (i) => `shardId-${String(i % SHARDS).padStart(12, '0')}`;

function putRecordsResponse() {
  const records = Array.from({ length: putBatchRecords }, (_, i) => ({ SequenceNumber: sequenceNumber(i), ShardId: shardId(i) }));
  return { FailedRecordCount: 0, Records: records };
}

function getRecordsResponse() {
  const arrivalSeconds = Date.now() / 1000;
  const records = Array.from({ length: getRecordsCount }, (_, i) => ({
    SequenceNumber: sequenceNumber(i),
    ApproximateArrivalTimestamp: arrivalSeconds,
    Data: randomBytes(recordBytes).toString('base64'),
    PartitionKey: `p${i % SHARDS}-${i}-${randomBytes(6).toString('hex')}`,
  }));
  return { Records: records, NextShardIterator: NEXT_ITERATOR, MillisBehindLatest: 0 };
}

function prepared(value) {
  const body = Buffer.from(JSON.stringify(value));
  return { body, headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length) } };
}

const answers = {
  PutRecords: prepared(putRecordsResponse()),
  GetRecords: prepared(getRecordsResponse()),
  GetShardIterator: prepared({ ShardIterator: ITERATOR }),
};
const EMPTY = prepared({});

const server = createServer((req, res) => {
  const target = req.headers['x-amz-target'] ?? '';
  const answer = answers[target.slice(target.indexOf('.') + 1)] ?? EMPTY;
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, answer.headers);
    res.end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

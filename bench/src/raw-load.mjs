/**
 * The lean load generator: node:http with a keep-alive Agent, request bodies and signed-looking
 * headers built once, no SDK, no per-request serialization or signing. Only the status code is
 * checked on every response; every 100th body is parsed so that a server answering 200 with
 * failed records does not go unnoticed.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { BENCH_CREDENTIALS, BENCH_REGION } from './kinesis.mjs';

const KINESIS_TARGET_PREFIX = 'Kinesis_20131202.';

function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Headers shaped like a SigV4-signed SDK request (the signature is random: servers under test do not verify it). */
export function signedLookingHeaders(operation, bodyLength) {
  const date = amzDate(new Date());
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `${KINESIS_TARGET_PREFIX}${operation}`,
    'x-amz-date': date,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${BENCH_CREDENTIALS.accessKeyId}/${date.slice(0, 8)}/${BENCH_REGION}/kinesis/aws4_request, ` +
      `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${randomBytes(32).toString('hex')}`,
    'content-length': String(bodyLength),
  };
}

export function putRecordsBody(streamName, batchRecords, recordBytes) {
  const records = Array.from({ length: batchRecords }, (_, i) => ({
    Data: randomBytes(recordBytes).toString('base64'),
    PartitionKey: `raw-${i}-${randomBytes(6).toString('hex')}`,
  }));
  return Buffer.from(JSON.stringify({ StreamName: streamName, Records: records }));
}

export function putRecordBody(streamName, recordBytes) {
  return Buffer.from(JSON.stringify({ StreamName: streamName, Data: randomBytes(recordBytes).toString('base64'), PartitionKey: `raw-${randomBytes(6).toString('hex')}` }));
}

/** PutRecords answers carry FailedRecordCount; other operations have nothing to check here. */
function failedRecordsIn(body) {
  const parsed = JSON.parse(body);
  return typeof parsed.FailedRecordCount === 'number' ? parsed.FailedRecordCount : 0;
}

/**
 * Sends `body` over `connections` keep-alive connections, each sequentially, until `seconds` pass
 * or `maxRequests` complete. With `recordLatency`, returns every request's latency in ms.
 */
export async function runRawLoad({ endpoint, operation, body, connections, seconds, maxRequests = Number.MAX_SAFE_INTEGER, recordLatency = false, timeoutMs = 60_000 }) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = signedLookingHeaders(operation, body.length);
  const latencies = [];
  const statusCounts = {};
  let started = 0;
  let completed = 0;
  let ok = 0;
  let failedRecords = 0;
  let errors = 0;
  let firstError;

  const sendOne = () =>
    new Promise((resolve) => {
      const sentAt = performance.now();
      const checkBody = completed % 100 === 0;
      const req = request({ host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
        const chunks = checkBody || res.statusCode !== 200 ? [] : undefined;
        res.on('data', (chunk) => chunks?.push(chunk));
        res.on('end', () => {
          if (recordLatency) latencies.push(performance.now() - sentAt);
          statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
          if (res.statusCode === 200) {
            ok += 1;
            if (chunks) {
              try {
                failedRecords += failedRecordsIn(Buffer.concat(chunks).toString('utf8'));
              } catch {
                // The null server's `{}` and any non-JSON answer carry no record count.
              }
            }
          } else if (firstError === undefined) {
            firstError = `HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`;
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        errors += 1;
        firstError ??= err.message;
        resolve();
      });
      req.end(body);
    });

  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const connection = async () => {
    while (performance.now() < deadline && started < maxRequests && errors < 100) {
      started += 1;
      await sendOne();
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  const elapsedMs = performance.now() - startedAt;
  agent.destroy();
  return { requests: completed, ok, errors, failedRecords, statusCounts, firstError, elapsedMs, latencies };
}

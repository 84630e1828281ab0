/**
 * Firehose DirectPut → S3 (Runnel's embedded file store under <data dir>/s3) with GZIP: producers
 * put PutRecordBatch calls for a few seconds, then the delivered objects are read back from disk,
 * gunzipped and counted until every input byte has arrived. Reports the acknowledged input MB/s and
 * the end-to-end MB/s (input bytes / time until the last byte is delivered).
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BENCH_CREDENTIALS, BENCH_REGION, uniqueStreamName } from '../kinesis.mjs';
import { progress } from '../log.mjs';
import { waitUntil } from '../processes.mjs';
import { perSecond } from '../stats.mjs';

const BUCKET = 'bench-firehose';
const MAX_KEPT_ERRORS = 5;

function firehoseClient(endpoint, requestTimeoutMs) {
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const client = new FirehoseClient({
    region: BENCH_REGION,
    endpoint,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent, requestTimeout: requestTimeoutMs, connectionTimeout: 5_000 }),
  });
  return { client, close: () => { client.destroy(); httpAgent.destroy(); } };
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** Gunzipped size of every delivered object, each file read once. */
function deliveredBytesCounter(bucketDir) {
  const sizes = new Map();
  return async () => {
    for (const file of await filesUnder(bucketDir)) {
      if (!sizes.has(file)) sizes.set(file, gunzipSync(await readFile(file)).length);
    }
    let total = 0;
    for (const size of sizes.values()) total += size;
    return { bytes: total, objects: sizes.size };
  };
}

export async function runFirehose({ target, config, dataDir }) {
  const { producers, batchRecords, recordBytes, seconds, bufferSizeMiB, bufferIntervalSeconds } = config.firehose;
  progress(`${target.name}: firehose DirectPut → GZIP S3 objects, ${producers} producers × PutRecordBatch ${batchRecords} × ${recordBytes} B for ${seconds}s (buffer ${bufferSizeMiB} MiB / ${bufferIntervalSeconds}s)`);
  const name = uniqueStreamName('bench-firehose');
  const prefix = `${name}/`;
  const bucketDir = join(dataDir, 's3', BUCKET, name);
  const setup = firehoseClient(target.endpoint, config.requestTimeoutMs);
  const errors = [];
  let errorCount = 0;
  let acceptedRecords = 0;
  try {
    await setup.client.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::000000000000:role/bench-firehose',
        BucketARN: `arn:aws:s3:::${BUCKET}`,
        Prefix: prefix,
        CompressionFormat: 'GZIP',
        BufferingHints: { SizeInMBs: bufferSizeMiB, IntervalInSeconds: bufferIntervalSeconds },
      },
    }));
    await waitUntil(`delivery stream ${name} ACTIVE`, async () => {
      const { DeliveryStreamDescription } = await setup.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
      return DeliveryStreamDescription.DeliveryStreamStatus === 'ACTIVE';
    }, { timeoutMs: 30_000, intervalMs: 100 });

    const startedAt = performance.now();
    const deadline = startedAt + seconds * 1000;
    await Promise.all(Array.from({ length: producers }, async () => {
      const { client, close } = firehoseClient(target.endpoint, config.requestTimeoutMs);
      const records = Array.from({ length: batchRecords }, () => ({ Data: randomBytes(recordBytes) }));
      let consecutiveErrors = 0;
      try {
        while (performance.now() < deadline && consecutiveErrors < 20) {
          try {
            const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records }));
            acceptedRecords += records.length - (out.FailedPutCount ?? 0);
            consecutiveErrors = 0;
          } catch (err) {
            errorCount += 1;
            consecutiveErrors += 1;
            if (errors.length < MAX_KEPT_ERRORS) errors.push(`${err.name}: ${err.message}`);
            await sleep(50);
          }
        }
      } finally {
        close();
      }
    }));
    const ackedMs = performance.now() - startedAt;
    const inputBytes = acceptedRecords * recordBytes;
    progress(`${target.name}: firehose acknowledged ${acceptedRecords} records (${(inputBytes / 2 ** 20).toFixed(1)} MiB) in ${(ackedMs / 1000).toFixed(1)}s; waiting for delivery`);

    const countDelivered = deliveredBytesCounter(bucketDir);
    let delivered = { bytes: 0, objects: 0 };
    const deliveryDeadline = performance.now() + 60_000 + bufferIntervalSeconds * 1000;
    while (delivered.bytes < inputBytes && performance.now() < deliveryDeadline) {
      await sleep(100);
      delivered = await countDelivered();
    }
    const deliveredMs = performance.now() - startedAt;
    const result = {
      records: acceptedRecords,
      inputBytes,
      deliveredBytes: delivered.bytes,
      objects: delivered.objects,
      complete: delivered.bytes >= inputBytes,
      errors: errorCount,
      errorSamples: errors,
      ackedMs,
      deliveredMs,
      ackedMiBPerSec: perSecond(inputBytes, ackedMs) / 2 ** 20,
      deliveredMiBPerSec: perSecond(delivered.bytes, deliveredMs) / 2 ** 20,
    };
    progress(`${target.name}: firehose ${result.ackedMiBPerSec.toFixed(1)} MiB/s acknowledged, ${result.deliveredMiBPerSec.toFixed(1)} MiB/s delivered end to end in ${result.objects} gzip objects${result.complete ? '' : ` (INCOMPLETE: ${delivered.bytes}/${inputBytes} bytes)`}`);
    return result;
  } finally {
    setup.close();
  }
}

/**
 * Audit of issue 4, "slow consumers get back-pressure, never unbounded buffering in the server":
 * a real `runnel serve` process, one consumer subscribed over the SDK's default HTTP/2 handler
 * (then one over its HTTP/1.1 handler) that stops reading after its first event, and producers
 * writing 200 MB to the shard. The server's resident memory must not grow with what the stalled
 * consumer has not read; once the consumer reads again it gets every record, in order, exactly
 * once, and catching up does not leave the events it was sent behind in the server's memory.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeStreamConsumerCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../helpers/server.js';
import { EventReader, fanoutClient, streamWithConsumer } from '../integration/fanout/helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
const RECORD_BYTES = 100 * 1024;
const RECORDS_PER_CALL = 40;
const CALLS = 50; // 50 × 40 × 100 KiB = 200 MB
const MIB = 1024 * 1024;

async function startCliServer(dataDir: string): Promise<{ process: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [
    CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--fsync', 'never', '--limits', 'off',
    '--create-stream-ms', '0', '--update-stream-ms', '0', '--delete-stream-ms', '0', '--log-level', 'info',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = createInterface({ input: child.stderr! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; endpoint?: string };
    if (entry.msg === 'listening' && entry.endpoint) {
      lines.on('line', () => {}); // keep draining the log so the child never blocks on stderr
      return { process: child, endpoint: entry.endpoint };
    }
  }
  throw new Error('server exited before listening');
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status);
  assert.ok(kib, 'VmRSS in /proc status');
  return Number(kib[1]) * 1024;
}

async function untilConsumerActive(client: KinesisClient, consumerArn: string): Promise<void> {
  for (;;) {
    const { ConsumerDescription } = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
    if (ConsumerDescription?.ConsumerStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fan-out back-pressure (real server process)', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let dataDir: string;
  let server: { process: ChildProcess; endpoint: string };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'runnel-audit-bp-'));
    server = await startCliServer(dataDir);
  });

  after(async () => {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const transport of ['http2', 'http1'] as const) {
  it(`keeps server memory flat while a stalled ${transport} consumer falls 200 MB behind and while it catches up`, async () => {
    const control = kinesisClient(server.endpoint, { http1: true });
    const { streamName, consumerArn } = await streamWithConsumer(control, `backpressure-${transport}`);
    await untilConsumerActive(control, consumerArn);

    const subscriber = fanoutClient(server.endpoint, transport);
    const reader = await EventReader.open(subscriber, consumerArn, { Type: 'LATEST' });
    await reader.next(); // the first (empty) event: the subscription is live; now it stalls

    const pid = server.process.pid!;
    const payload = Buffer.alloc(RECORD_BYTES, 0x61);
    const writeBatch = async (call: number) => {
      const records = Array.from({ length: RECORDS_PER_CALL }, (_, i) => {
        const data = Buffer.from(payload);
        data.writeUInt32BE(call * RECORDS_PER_CALL + i, 0);
        return { Data: data, PartitionKey: 'k' };
      });
      const { FailedRecordCount } = await control.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
      assert.equal(FailedRecordCount, 0);
    };

    // Warm up the server's write path before taking the baseline, so the heap the request
    // handling itself needs is not mistaken for buffered events.
    await writeBatch(0);
    const baseline = await residentBytes(pid);
    let peak = baseline;
    for (let call = 1; call < CALLS; call++) {
      await writeBatch(call);
      peak = Math.max(peak, await residentBytes(pid));
    }
    const growth = peak - baseline;
    const written = CALLS * RECORDS_PER_CALL * RECORD_BYTES;
    console.log(`# ${transport}: server RSS baseline ${(baseline / MIB).toFixed(0)} MiB, peak ${(peak / MIB).toFixed(0)} MiB, ` +
      `growth ${(growth / MIB).toFixed(0)} MiB while ${(written / MIB).toFixed(0)} MiB were written to a stalled consumer`);
    assert.ok(growth < written * 0.6, `server RSS grew by ${growth} bytes while ${written} bytes were written`);

    // Resume: every record, in order, exactly once.
    let expected = 0;
    for (let events = 1; expected < CALLS * RECORDS_PER_CALL; events++) {
      const event = await reader.next();
      assert.ok(event, `stream ended after ${expected} records`);
      for (const record of event.Records ?? []) {
        assert.equal(Buffer.from(record.Data!).readUInt32BE(0), expected);
        expected++;
      }
      if (events % 20 === 0) peak = Math.max(peak, await residentBytes(pid));
    }
    const caughtUp = await residentBytes(pid);
    console.log(`# ${transport}: server RSS after catching up ${(caughtUp / MIB).toFixed(0)} MiB, peak ${(Math.max(peak, caughtUp) / MIB).toFixed(0)} MiB`);
    assert.ok(Math.max(peak, caughtUp) - baseline < written * 0.6, `server RSS reached ${Math.max(peak, caughtUp)} bytes from ${baseline} while the consumer caught up`);
    await reader.close();
    subscriber.destroy();
    control.destroy();
  });
  }
});

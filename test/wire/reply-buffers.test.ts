/** Reused reply buffers: a buffer is handed out once until released, and replies that share the
 * pool never see each other's bytes. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { acquireReplyBuffer, releaseReplyBuffer } from '../../src/wire/codecs/reply-buffers.js';
import { DUMMY_AUTH_HEADERS, http1Request, http2Request } from '../helpers/raw-http.js';
import { JSON_HEADERS, startTestWire, target, type TestWire } from './fixtures.js';

const MiB = 1024 * 1024;

/** Each test uses its own buffer size, so buffers other tests left in the pool never fit better. */
describe('reply buffers', () => {
  test('buffers in use are all distinct; a released one is handed out again', () => {
    const inUse = Array.from({ length: 5 }, () => acquireReplyBuffer(2 * MiB));
    assert.equal(new Set(inUse.map((buffer) => buffer.buffer)).size, 5);
    releaseReplyBuffer(inUse[2]!.subarray(0, 10));
    const again = acquireReplyBuffer(2 * MiB - 1);
    assert.ok(again.buffer === inUse[2]!.buffer, 'the released backing store comes back');
    assert.ok(again.length >= 2 * MiB - 1);
    for (const buffer of inUse) releaseReplyBuffer(buffer);
  });

  test('a second release hands the buffer out only once', () => {
    const buffer = acquireReplyBuffer(4 * MiB);
    releaseReplyBuffer(buffer);
    releaseReplyBuffer(buffer);
    const first = acquireReplyBuffer(4 * MiB);
    const second = acquireReplyBuffer(4 * MiB);
    assert.ok(first.buffer === buffer.buffer);
    assert.ok(second.buffer !== buffer.buffer);
    releaseReplyBuffer(first);
    releaseReplyBuffer(second);
  });

  test('a buffer that never came from the pool is not taken into it', () => {
    const foreign = Buffer.allocUnsafeSlow(8 * MiB);
    releaseReplyBuffer(foreign);
    const acquired = acquireReplyBuffer(8 * MiB);
    assert.ok(acquired.buffer !== foreign.buffer);
    releaseReplyBuffer(acquired);
  });
});

for (const [transport, send] of [['HTTP/1.1', http1Request], ['h2c', http2Request]] as const) {
  describe(`large replies over ${transport}`, () => {
    let wire: TestWire;
    before(async () => { wire = await startTestWire(); });
    after(() => wire.server.close());

    test('concurrent replies from reused buffers each carry their own bytes', async () => {
      for (let round = 0; round < 3; round++) {
        const payloads = Array.from({ length: 6 }, (_, i) => randomBytes(300_000 + i * 50_000));
        const replies = await Promise.all(payloads.map((data) => send(wire.endpoint, {
          headers: { ...JSON_HEADERS, ...target('PutRecord'), ...DUMMY_AUTH_HEADERS },
          body: JSON.stringify({ StreamName: 's', PartitionKey: 'k', Data: data.toString('base64') }),
        })));
        replies.forEach((reply, i) => {
          assert.equal(reply.status, 200);
          assert.ok(Buffer.from(reply.json().EchoData, 'base64').equals(payloads[i]!), `reply ${i} of round ${round}`);
        });
      }
    });
  });
}

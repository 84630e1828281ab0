import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedLock } from '../../src/domain/keyed-lock.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedLock', () => {
  it('runs tasks of one key in order, one at a time', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const events: string[] = [];
    const first = lock.run('a', async () => {
      events.push('first start');
      await gate.promise;
      events.push('first end');
      return 1;
    });
    const second = lock.run('a', async () => {
      events.push('second');
      return 2;
    });
    await Promise.resolve();
    assert.deepEqual(events, ['first start']);
    gate.resolve();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(events, ['first start', 'first end', 'second']);
  });

  it('lets tasks of other keys run while one key is held', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    const held = lock.run('a', () => gate.promise);
    assert.equal(await lock.run('b', async () => 'b ran'), 'b ran');
    gate.resolve();
    await held;
  });

  it('runs the next task after a failed one and passes the failure to its caller', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('a', async () => {
      throw new Error('boom');
    });
    const next = lock.run('a', async () => 'next ran');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'next ran');
  });

  it('idle() waits for every queued task', async () => {
    const lock = new KeyedLock();
    const gate = deferred();
    let done = false;
    void lock.run('a', async () => {
      await gate.promise;
      done = true;
    });
    const idle = lock.idle();
    gate.resolve();
    await idle;
    assert.equal(done, true);
  });
});

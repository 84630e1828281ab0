/**
 * The behaviour every Storage backend must show. Backends run it from test/storage/ with a factory
 * that gives a fresh, empty store per test. Durable backends also pass `reopen`, which closes the
 * store and opens it again on the same data, for the restart cases; the others skip those cases.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  LogNotFoundError,
  MetaConflictError,
  type AppendRecord,
  type LogId,
  type Storage,
  type StoredRecord,
} from '../types.js';

export interface ConformanceSubject {
  readonly storage: Storage;
  /** Closes `storage` and opens the same data again; omitted by non-durable backends. */
  readonly reopen?: () => Promise<Storage>;
  /** Closes whatever is open and removes the data. */
  dispose(): Promise<void>;
}

export type ConformanceFactory = () => Promise<ConformanceSubject>;

const BIG = { maxRecords: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };

function rec(partitionKey: string, data: string | Uint8Array, arrivalMs: number, attributes?: string): AppendRecord {
  return {
    partitionKey,
    data: typeof data === 'string' ? Buffer.from(data) : data,
    arrivalMs,
    ...(attributes !== undefined ? { attributes } : {}),
  };
}

function texts(records: readonly StoredRecord[]): string[] {
  return records.map((r) => Buffer.from(r.data).toString());
}

function numbered(count: number, arrivalMs: (i: number) => number, prefix = 'r'): AppendRecord[] {
  return Array.from({ length: count }, (_, i) => rec(`pk${i % 7}`, `${prefix}${i}`, arrivalMs(i)));
}

export function runStorageConformance(name: string, factory: ConformanceFactory): void {
  describe(`storage conformance: ${name}`, () => {
    let subject: ConformanceSubject | undefined;
    let storage: Storage;

    const setUp = async () => {
      subject = await factory();
      storage = subject.storage;
      return storage;
    };
    const reopen = async (t: { skip(message: string): void }) => {
      if (!subject?.reopen) {
        t.skip('backend is not durable');
        return undefined;
      }
      storage = await subject.reopen();
      return storage;
    };

    afterEach(async () => {
      await subject?.dispose();
      subject = undefined;
    });

    describe('record log: append and read', () => {
      it('gives consecutive counters from 0 across batches', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        const first = await log.append('s/0', numbered(3, () => 1000));
        const second = await log.append('s/0', numbered(2, () => 1000));
        assert.equal(first.firstCounter, 0);
        assert.equal(second.firstCounter, 3);
        assert.deepEqual(await log.bounds('s/0'), { trimHorizon: 0, nextCounter: 5, lastArrivalMs: 1000 });
      });

      it('keeps logs independent', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.createLog('s/1');
        await log.append('s/0', numbered(4, () => 1));
        const other = await log.append('s/1', [rec('k', 'only', 1)]);
        assert.equal(other.firstCounter, 0);
        assert.deepEqual(texts((await log.read('s/1', 0, BIG)).records), ['only']);
      });

      it('round-trips partition key, binary data, attributes and arrival time', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
        await log.append('s/0', [
          rec('ключ-🔑', binary, 1234, 'kms:alias/x'),
          rec('plain', new Uint8Array(0), 1235),
        ]);
        const { records } = await log.read('s/0', 0, BIG);
        assert.equal(records.length, 2);
        assert.equal(records[0]!.counter, 0);
        assert.equal(records[0]!.partitionKey, 'ключ-🔑');
        assert.deepEqual(Buffer.from(records[0]!.data), Buffer.from(binary));
        assert.equal(records[0]!.arrivalMs, 1234);
        assert.equal(records[0]!.attributes, 'kms:alias/x');
        assert.equal(records[1]!.data.byteLength, 0);
        assert.equal(records[1]!.attributes, undefined);
      });

      it('copies the caller data at append time', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        const data = Buffer.from('before');
        const pending = log.append('s/0', [rec('k', data, 1)]);
        data.write('AFTER!');
        await pending;
        assert.deepEqual(texts((await log.read('s/0', 0, BIG)).records), ['before']);
      });

      it('raises arrival times that go backwards to the last stored one', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        const first = await log.append('s/0', [rec('k', 'a', 500), rec('k', 'b', 400), rec('k', 'c', 600)]);
        assert.deepEqual(first.arrivalMs, [500, 500, 600]);
        const second = await log.append('s/0', [rec('k', 'd', 100)]);
        assert.deepEqual(second.arrivalMs, [600]);
        const { records } = await log.read('s/0', 0, BIG);
        assert.deepEqual(records.map((r) => r.arrivalMs), [500, 500, 600, 600]);
      });

      it('reads from the middle, honours maxRecords and reports nextCounter', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(10, () => 1));
        const page = await log.read('s/0', 4, { maxRecords: 3, maxBytes: 1 << 20 });
        assert.deepEqual(page.records.map((r) => r.counter), [4, 5, 6]);
        assert.deepEqual(texts(page.records), ['r4', 'r5', 'r6']);
        assert.equal(page.nextCounter, 7);
        const rest = await log.read('s/0', page.nextCounter, BIG);
        assert.deepEqual(rest.records.map((r) => r.counter), [7, 8, 9]);
        assert.equal(rest.nextCounter, 10);
      });

      it('returns nothing at or past the end and keeps the start position', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        assert.deepEqual(await log.read('s/0', 0, BIG), { records: [], nextCounter: 0 });
        await log.append('s/0', numbered(2, () => 1));
        assert.deepEqual(await log.read('s/0', 2, BIG), { records: [], nextCounter: 2 });
        assert.deepEqual(await log.read('s/0', 9, BIG), { records: [], nextCounter: 9 });
      });

      it('counts data plus UTF-8 partition key bytes against maxBytes, and returns at least one record', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        // Each record: 2-byte key "é" + 8 data bytes = 10 bytes.
        await log.append('s/0', Array.from({ length: 5 }, (_, i) => rec('é', `data-00${i}`, 1)));
        assert.equal((await log.read('s/0', 0, { maxRecords: 100, maxBytes: 30 })).records.length, 3);
        assert.equal((await log.read('s/0', 0, { maxRecords: 100, maxBytes: 29 })).records.length, 2);
        const oversized = await log.read('s/0', 1, { maxRecords: 100, maxBytes: 1 });
        assert.deepEqual(oversized.records.map((r) => r.counter), [1]);
        assert.equal(oversized.nextCounter, 2);
      });

      it('stores large records (10 MiB) intact', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        const big = Buffer.alloc(10 * 1024 * 1024);
        for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) & 0xff;
        await log.append('s/0', [rec('k', 'small', 1), rec('k', big, 2), rec('k', 'after', 3)]);
        const { records } = await log.read('s/0', 0, BIG);
        assert.equal(records.length, 3);
        assert.ok(Buffer.from(records[1]!.data).equals(big));
        assert.equal(Buffer.from(records[2]!.data).toString(), 'after');
      });

      it('reads many records in order across a long log', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        for (let batch = 0; batch < 20; batch++) {
          await log.append('s/0', Array.from({ length: 500 }, (_, i) => rec(`k${i}`, Buffer.alloc(200, batch), batch * 1000 + i)));
        }
        let next = 0;
        let seen = 0;
        while (true) {
          const page = await log.read('s/0', next, { maxRecords: 777, maxBytes: 1 << 30 });
          if (page.records.length === 0) break;
          for (const r of page.records) assert.equal(r.counter, seen++);
          next = page.nextCounter;
        }
        assert.equal(seen, 10_000);
      });
    });

    describe('record log: lifecycle', () => {
      it('createLog is idempotent and keeps data', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(2, () => 1));
        await log.createLog('s/0');
        assert.equal((await log.bounds('s/0')).nextCounter, 2);
      });

      it('raises LogNotFoundError for logs never created', async () => {
        const { log } = await setUp();
        await assert.rejects(log.append('nope/0', [rec('k', 'x', 1)]), LogNotFoundError);
        await assert.rejects(log.read('nope/0', 0, BIG), LogNotFoundError);
        await assert.rejects(log.bounds('nope/0'), LogNotFoundError);
        await assert.rejects(log.findByTimestamp('nope/0', 0), LogNotFoundError);
        await assert.rejects(log.trim('nope/0', 0), LogNotFoundError);
      });

      it('refuses log ids that are not path-safe', async () => {
        const { log } = await setUp();
        for (const bad of ['', '../x', 'a/../b', 'a//b', '/a', 'a b', 'a\\b']) {
          await assert.rejects(log.createLog(bad), /invalid log id/, bad);
        }
      });

      it('deleteLog removes the log and its records', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.createLog('s/1');
        await log.append('s/0', numbered(3, () => 1));
        await log.deleteLog('s/0');
        await assert.rejects(log.read('s/0', 0, BIG), LogNotFoundError);
        await assert.rejects(log.append('s/0', [rec('k', 'x', 1)]), LogNotFoundError);
        assert.equal((await log.bounds('s/1')).nextCounter, 0);
        await log.createLog('s/0');
        const bounds = await log.bounds('s/0');
        assert.equal(bounds.trimHorizon, bounds.nextCounter, 'a re-created log is empty');
        assert.deepEqual((await log.read('s/0', 0, BIG)).records, []);
      });

      it('deleteLog of an unknown log is a no-op', async () => {
        const { log } = await setUp();
        await log.deleteLog('never/0');
      });
    });

    describe('record log: timestamps', () => {
      it('finds the first record at or after a timestamp', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        assert.equal(await log.findByTimestamp('s/0', 0), 0, 'empty log answers nextCounter');
        // arrivals: 100, 100, 200, 200, 200, 300, ... counters 0..
        await log.append('s/0', numbered(30, (i) => 100 * (1 + Math.floor((i + 1) / 3))));
        const { records } = await log.read('s/0', 0, BIG);
        for (const ts of [0, 99, 100, 101, 150, 200, 201, 1000, 1001, 5000]) {
          const expected = records.find((r) => r.arrivalMs >= ts)?.counter ?? 30;
          assert.equal(await log.findByTimestamp('s/0', ts), expected, `timestamp ${ts}`);
        }
      });

      it('finds timestamps across many appends', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        for (let b = 0; b < 40; b++) {
          await log.append('s/0', Array.from({ length: 250 }, (_, i) => rec('k', Buffer.alloc(300), 10_000 + (b * 250 + i) * 2)));
        }
        for (const counter of [0, 1, 249, 250, 4321, 9998, 9999]) {
          const ts = 10_000 + counter * 2;
          assert.equal(await log.findByTimestamp('s/0', ts), counter);
          assert.equal(await log.findByTimestamp('s/0', ts - 1), counter);
        }
        assert.equal(await log.findByTimestamp('s/0', 10_000 + 10_000 * 2), 10_000);
      });
    });

    describe('record log: trim', () => {
      it('drops records older than the cutoff and never returns them', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(10, (i) => 1000 + i * 10));
        const horizon = await log.trim('s/0', 1045);
        assert.equal(horizon, 5);
        const page = await log.read('s/0', 0, BIG);
        assert.deepEqual(page.records.map((r) => r.counter), [5, 6, 7, 8, 9]);
        assert.equal(page.nextCounter, 10);
        assert.deepEqual(await log.read('s/0', 2, { maxRecords: 1, maxBytes: 100 }).then((r) => r.records.map((x) => x.counter)), [5]);
        assert.deepEqual(await log.bounds('s/0'), { trimHorizon: 5, nextCounter: 10, lastArrivalMs: 1090 });
        assert.equal(await log.findByTimestamp('s/0', 0), 5);
      });

      it('never moves the horizon backwards', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(10, (i) => 1000 + i));
        assert.equal(await log.trim('s/0', 1006), 6);
        assert.equal(await log.trim('s/0', 1002), 6);
        assert.equal((await log.bounds('s/0')).trimHorizon, 6);
      });

      it('trimming everything keeps the counters going', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(5, () => 1000));
        assert.equal(await log.trim('s/0', 2000), 5);
        assert.deepEqual(await log.bounds('s/0'), { trimHorizon: 5, nextCounter: 5, lastArrivalMs: undefined });
        assert.deepEqual(await log.read('s/0', 0, BIG), { records: [], nextCounter: 5 });
        assert.equal(await log.findByTimestamp('s/0', 0), 5);
        const next = await log.append('s/0', [rec('k', 'later', 3000)]);
        assert.equal(next.firstCounter, 5);
        assert.deepEqual(texts((await log.read('s/0', 0, BIG)).records), ['later']);
      });
    });

    describe('record log: onAppend and ordering', () => {
      it('notifies listeners of the new nextCounter before append resolves', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.createLog('s/1');
        const seen: number[] = [];
        const other: number[] = [];
        const stop = log.onAppend('s/0', (next) => seen.push(next));
        log.onAppend('s/1', (next) => other.push(next));
        await log.append('s/0', numbered(3, () => 1));
        assert.deepEqual(seen, [3]);
        await log.append('s/0', numbered(2, () => 1));
        assert.equal(seen.at(-1), 5);
        stop();
        await log.append('s/0', numbered(1, () => 1));
        assert.equal(seen.at(-1), 5);
        assert.deepEqual(other, []);
      });

      it('a throwing listener does not break the append', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        log.onAppend('s/0', () => { throw new Error('listener bug'); });
        const seen: number[] = [];
        log.onAppend('s/0', (next) => seen.push(next));
        await log.append('s/0', numbered(1, () => 1));
        assert.deepEqual(seen, [1]);
      });

      it('applies concurrent appends to one log in call order', async () => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.createLog('s/1');
        const calls = Array.from({ length: 60 }, (_, b) =>
          log.append(b % 3 === 0 ? 's/1' : 's/0', Array.from({ length: 1 + (b % 5) }, (_, i) => rec('k', `b${b}-${i}`, b))));
        const results = await Promise.all(calls);
        const expected: Record<string, string[]> = { 's/0': [], 's/1': [] };
        const counters: Record<string, number> = { 's/0': 0, 's/1': 0 };
        results.forEach((result, b) => {
          const id = b % 3 === 0 ? 's/1' : 's/0';
          assert.equal(result.firstCounter, counters[id], `batch ${b}`);
          for (let i = 0; i < 1 + (b % 5); i++) expected[id]!.push(`b${b}-${i}`);
          counters[id]! += 1 + (b % 5);
        });
        for (const id of ['s/0', 's/1'] as LogId[]) {
          assert.deepEqual(texts((await log.read(id, 0, BIG)).records), expected[id]);
        }
      });
    });

    describe('record log: restart', () => {
      it('keeps records, bounds and counters across a restart', async (t) => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.createLog('s/empty');
        await log.append('s/0', numbered(50, (i) => 1000 + i));
        await log.trim('s/0', 1010);
        const reopened = await reopen(t);
        if (!reopened) return;
        assert.deepEqual(await reopened.log.bounds('s/0'), { trimHorizon: 10, nextCounter: 50, lastArrivalMs: 1049 });
        assert.deepEqual(await reopened.log.bounds('s/empty'), { trimHorizon: 0, nextCounter: 0, lastArrivalMs: undefined });
        const { records } = await reopened.log.read('s/0', 0, BIG);
        assert.deepEqual(texts(records), Array.from({ length: 40 }, (_, i) => `r${i + 10}`));
        assert.equal((await reopened.log.append('s/0', [rec('k', 'more', 1)])).firstCounter, 50);
        assert.deepEqual((await reopened.log.append('s/0', [rec('k', 'more', 1)])).arrivalMs, [1049]);
      });

      it('does not reuse trimmed counters after a restart even when every record was trimmed', async (t) => {
        const { log } = await setUp();
        await log.createLog('s/0');
        await log.append('s/0', numbered(7, () => 1000));
        await log.trim('s/0', 5000);
        const reopened = await reopen(t);
        if (!reopened) return;
        assert.deepEqual(await reopened.log.bounds('s/0'), { trimHorizon: 7, nextCounter: 7, lastArrivalMs: undefined });
        assert.equal((await reopened.log.append('s/0', [rec('k', 'x', 6000)])).firstCounter, 7);
      });

      it('keeps metadata across a restart', async (t) => {
        const { meta } = await setUp();
        await meta.commit([{ op: 'put', key: 'a', value: { n: 1 } }, { op: 'put', key: 'b', value: [1, 'two'] }]);
        await meta.commit([{ op: 'put', key: 'a', value: { n: 2 }, expectVersion: 1 }]);
        const reopened = await reopen(t);
        if (!reopened) return;
        assert.deepEqual(await reopened.meta.get('a'), { key: 'a', value: { n: 2 }, version: 2 });
        assert.deepEqual(await reopened.meta.get('b'), { key: 'b', value: [1, 'two'], version: 1 });
      });
    });

    describe('meta store', () => {
      it('puts, versions and gets JSON values', async () => {
        const { meta } = await setUp();
        assert.equal(await meta.get('stream/a'), undefined);
        await meta.commit([{ op: 'put', key: 'stream/a', value: { name: 'a', shards: [1, 2], nested: { ok: true, none: null } } }]);
        assert.deepEqual(await meta.get('stream/a'), { key: 'stream/a', value: { name: 'a', shards: [1, 2], nested: { ok: true, none: null } }, version: 1 });
        await meta.commit([{ op: 'put', key: 'stream/a', value: 'second' }]);
        assert.deepEqual(await meta.get('stream/a'), { key: 'stream/a', value: 'second', version: 2 });
      });

      it('hands out copies, not the stored value', async () => {
        const { meta } = await setUp();
        const value = { list: [1] };
        await meta.commit([{ op: 'put', key: 'k', value }]);
        value.list.push(2);
        const got = await meta.get<{ list: number[] }>('k');
        got!.value.list.push(3);
        assert.deepEqual((await meta.get('k'))!.value, { list: [1] });
      });

      it('checks expectVersion: 0 means absent, n means current version', async () => {
        const { meta } = await setUp();
        await meta.commit([{ op: 'put', key: 'k', value: 1, expectVersion: 0 }]);
        await assert.rejects(meta.commit([{ op: 'put', key: 'k', value: 2, expectVersion: 0 }]), (err: unknown) => {
          assert.ok(err instanceof MetaConflictError);
          assert.equal(err.key, 'k');
          assert.equal(err.expected, 0);
          assert.equal(err.actual, 1);
          return true;
        });
        await assert.rejects(meta.commit([{ op: 'put', key: 'k', value: 2, expectVersion: 5 }]), MetaConflictError);
        await meta.commit([{ op: 'put', key: 'k', value: 2, expectVersion: 1 }]);
        await assert.rejects(meta.commit([{ op: 'delete', key: 'k', expectVersion: 1 }]), MetaConflictError);
        await meta.commit([{ op: 'delete', key: 'k', expectVersion: 2 }]);
        assert.equal(await meta.get('k'), undefined);
        await assert.rejects(meta.commit([{ op: 'delete', key: 'k', expectVersion: 1 }]), (err: unknown) =>
          err instanceof MetaConflictError && err.actual === 0);
      });

      it('applies all ops or none', async () => {
        const { meta } = await setUp();
        await meta.commit([{ op: 'put', key: 'x', value: 'x1' }, { op: 'put', key: 'y', value: 'y1' }]);
        await assert.rejects(meta.commit([
          { op: 'put', key: 'x', value: 'x2', expectVersion: 1 },
          { op: 'delete', key: 'y' },
          { op: 'put', key: 'z', value: 'z1', expectVersion: 0 },
          { op: 'put', key: 'y', value: 'y?', expectVersion: 1 },
        ]), MetaConflictError);
        assert.deepEqual((await meta.get('x'))!.value, 'x1');
        assert.deepEqual((await meta.get('y'))!.value, 'y1');
        assert.equal(await meta.get('z'), undefined);
      });

      it('sees earlier ops of the same commit when checking later ones', async () => {
        const { meta } = await setUp();
        await meta.commit([
          { op: 'put', key: 'k', value: 1, expectVersion: 0 },
          { op: 'put', key: 'k', value: 2, expectVersion: 1 },
        ]);
        assert.deepEqual(await meta.get('k'), { key: 'k', value: 2, version: 2 });
      });

      it('a delete without a check on a missing key is a no-op; a re-put starts at version 1', async () => {
        const { meta } = await setUp();
        await meta.commit([{ op: 'delete', key: 'missing' }]);
        await meta.commit([{ op: 'put', key: 'k', value: 1 }, { op: 'put', key: 'k', value: 2 }]);
        await meta.commit([{ op: 'delete', key: 'k' }]);
        await meta.commit([{ op: 'put', key: 'k', value: 3 }]);
        assert.deepEqual(await meta.get('k'), { key: 'k', value: 3, version: 1 });
      });

      it('lists by prefix in key order with startAfter and limit', async () => {
        const { meta } = await setUp();
        const keys = ['stream/b', 'stream/a', 'stream/a/shard/1', 'stream/c', 'streamz', 'strea', 'tag/a', 'stream/'];
        await meta.commit(keys.map((key) => ({ op: 'put' as const, key, value: key })));
        const all = await meta.list<string>('stream/');
        assert.deepEqual(all.map((e) => e.key), ['stream/', 'stream/a', 'stream/a/shard/1', 'stream/b', 'stream/c']);
        assert.deepEqual(all.map((e) => e.value), all.map((e) => e.key));
        assert.deepEqual((await meta.list('stream/', { limit: 2 })).map((e) => e.key), ['stream/', 'stream/a']);
        assert.deepEqual((await meta.list('stream/', { startAfter: 'stream/a' })).map((e) => e.key), ['stream/a/shard/1', 'stream/b', 'stream/c']);
        assert.deepEqual((await meta.list('stream/', { startAfter: 'stream/a0', limit: 1 })).map((e) => e.key), ['stream/b']);
        assert.deepEqual((await meta.list('stream/', { startAfter: 'a' })).length, 5);
        assert.deepEqual(await meta.list('stream/', { startAfter: 'stream/c' }), []);
        assert.deepEqual(await meta.list('nothing/'), []);
        assert.equal((await meta.list('')).length, keys.length);
      });
    });
  });
}

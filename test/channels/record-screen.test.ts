import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScreenedSource, recordFailure, type RejectedRecord } from '../../src/channels/record-screen.js';
import type { RecordSource, SourceRecord } from '../../src/firehose/source.js';

function record(logId: string, counter: number, text: string | Buffer): SourceRecord {
  return { logId, counter, arrivalMs: 0, data: Buffer.from(text) };
}

/** Hands out the given chunks in turn and remembers every commit. */
class ScriptedSource implements RecordSource {
  readonly commits: string[][] = [];
  constructor(private readonly chunks: SourceRecord[][]) {}
  async start(): Promise<void> {}
  async readNew(): Promise<SourceRecord[]> {
    return this.chunks.shift() ?? [];
  }
  async commit(delivered: readonly SourceRecord[]): Promise<void> {
    this.commits.push(delivered.map((r) => `${r.logId}:${r.counter}`));
  }
  stop(): void {}
}

describe('recordFailure', () => {
  it('checks UTF-8 for STRING, JSON for JSON, nothing for BYTE_ARRAY', () => {
    const invalidUtf8 = Buffer.from([0xc3, 0x28]);
    assert.equal(recordFailure('STRING', Buffer.from('plain text')), undefined);
    assert.equal(recordFailure('STRING', invalidUtf8)?.errorCode, 'InvalidRecordFormat');
    assert.equal(recordFailure('JSON', Buffer.from('{"a":[1,2]}')), undefined);
    assert.equal(recordFailure('JSON', Buffer.from('{"a":'))?.errorCode, 'InvalidRecordFormat');
    assert.equal(recordFailure('JSON', invalidUtf8)?.errorCode, 'InvalidRecordFormat');
    assert.equal(recordFailure('BYTE_ARRAY', invalidUtf8), undefined);
  });
});

describe('ScreenedSource', () => {
  it('commits a rejected record only after the accepted records of its shard read before it', async () => {
    const inner = new ScriptedSource([[record('0', 0, '{"ok":0}'), record('0', 1, 'bad'), record('1', 0, 'bad'), record('0', 2, '{"ok":2}')]]);
    const deadLettered: RejectedRecord[] = [];
    const source = new ScreenedSource(inner, { format: () => 'JSON', deadLetter: async (rejected) => (deadLettered.push(...rejected), true) });
    const accepted = await source.readNew();
    assert.deepEqual(accepted.map((r) => r.counter), [0, 2]);
    assert.deepEqual(deadLettered.map(({ record: r }) => `${r.logId}:${r.counter}`), ['0:1', '1:0']);
    assert.deepEqual(inner.commits, [['1:0']], 'shard 1 has nothing waiting; shard 0 still waits for 0:0');
    await source.commit([accepted[0]!]);
    assert.deepEqual(inner.commits[1], ['0:0', '0:1']);
    await source.commit([accepted[1]!]);
    assert.deepEqual(inner.commits[2], ['0:2']);
  });

  it('reads on past chunks that were rejected whole', async () => {
    const inner = new ScriptedSource([[record('0', 0, 'bad')], [record('0', 1, '{}')]]);
    const source = new ScreenedSource(inner, { format: () => 'JSON', deadLetter: async () => true });
    assert.deepEqual((await source.readNew()).map((r) => r.counter), [1]);
  });

  it('hands out nothing and commits nothing when stopped before the dead-letter write', async () => {
    const inner = new ScriptedSource([[record('0', 0, 'bad'), record('0', 1, '{}')]]);
    const source = new ScreenedSource(inner, { format: () => 'JSON', deadLetter: async () => false });
    assert.deepEqual(await source.readNew(), []);
    assert.deepEqual(inner.commits, []);
  });
});

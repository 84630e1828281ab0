import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evenHashKeyRanges, HASH_KEY_MAX } from '../../src/domain/hash-key.js';
import { planMerge, planSplit, planUniformScaling, type OpenRange } from '../../src/resharding/plan.js';

function initial(count: number): OpenRange[] {
  return evenHashKeyRanges(count).map((range, index) => ({ index, ...range }));
}

function openAfter(open: OpenRange[], plan: ReturnType<typeof planSplit>): Array<[bigint, bigint]> {
  const closed = new Set(plan.closes);
  return [
    ...open.filter((shard) => !closed.has(shard.index)).map((shard): [bigint, bigint] => [shard.start, shard.end]),
    ...plan.created.filter((shard) => !shard.closedInPlan).map((shard): [bigint, bigint] => [shard.start, shard.end]),
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('resharding plans', () => {
  it('split: two children with the parent, next indexes', () => {
    const plan = planSplit(initial(1), 0, 100n, 1);
    assert.deepEqual(plan.closes, [0]);
    assert.deepEqual(plan.created.map((s) => [s.index, s.start, s.end, s.parentIndex]), [[1, 0n, 99n, 0], [2, 100n, HASH_KEY_MAX, 0]]);
  });

  it('merge: one child naming both parents', () => {
    const plan = planMerge(initial(2), 1, 0, 2);
    assert.deepEqual(plan.created.map((s) => [s.index, s.start, s.end, s.parentIndex, s.adjacentParentIndex]), [[2, 0n, HASH_KEY_MAX, 1, 0]]);
  });

  for (const [from, to] of [[1, 2], [2, 4], [4, 2], [5, 3], [3, 5], [10, 13], [7, 4]] as const) {
    it(`uniform scaling ${from} → ${to} ends with the ranges of a fresh ${to}-shard stream and valid lineage`, () => {
      const open = initial(from);
      const plan = planUniformScaling(open, to, from);
      assert.deepEqual(openAfter(open, plan), evenHashKeyRanges(to).map((r): [bigint, bigint] => [r.start, r.end]));
      const known = new Set(open.map((s) => s.index));
      plan.created.forEach((shard, i) => {
        assert.equal(shard.index, from + i, 'ids keep counting up');
        assert.ok(known.has(shard.parentIndex) && (shard.adjacentParentIndex === undefined || known.has(shard.adjacentParentIndex)), 'parents exist before children');
        known.add(shard.index);
      });
    });
  }
});

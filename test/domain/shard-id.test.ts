import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatShardId, parseShardId } from '../../src/domain/shard-id.js';

describe('shard ids', () => {
  it('formats a 12-digit index', () => {
    assert.equal(formatShardId(0), 'shardId-000000000000');
    assert.equal(formatShardId(123), 'shardId-000000000123');
  });

  it('resolves the loose forms AWS accepts', () => {
    assert.equal(parseShardId('shardId-000000000003'), 3);
    assert.equal(parseShardId('shardId-3'), 3);
    assert.equal(parseShardId('shard-3'), 3);
    assert.equal(parseShardId('3'), 3);
    assert.equal(parseShardId('anything-0002'), 2);
  });

  it('refuses ids without a usable number', () => {
    for (const id of ['shardId-', 'shardId-abc', 'shardId', 'shardId-2147483648', 'a-b-3']) assert.equal(parseShardId(id), undefined, id);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { isAwsError } from '../../src/errors/aws-error.js';
import { createLimits, withControlPlaneLimits, streamNameOfInput, TokenBucket, MiB } from '../../src/limits/index.js';
import type { RequestContext } from '../../src/api/operation.js';

const ACCOUNT = '123456789012';
const SHARD = 'shardId-000000000000';

function errorOf(fn: () => void): { type: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(isAwsError(error));
    return { type: error.type, message: error.message };
  }
  assert.fail('expected an AWS error');
}

describe('TokenBucket', () => {
  it('refills with time up to its capacity', () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(10, 10, clock);
    assert.equal(bucket.tryTake(10), true);
    assert.equal(bucket.tryTake(1), false);
    clock.advance(500);
    assert.equal(bucket.available(), 5);
    clock.advance(60_000);
    assert.equal(bucket.available(), 10);
  });

  it('lets a burst larger than the capacity through only from a full bucket, leaving debt', () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(10, 10, clock);
    assert.equal(bucket.tryTake(1), true);
    assert.equal(bucket.tryTakeBurst(30), false);
    clock.advance(100);
    assert.equal(bucket.tryTakeBurst(30), true);
    assert.equal(bucket.available(), -20);
  });
});

describe('shard writes', () => {
  it('admits 1,000 records per second per shard, then throttles with AWS message', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    for (let i = 0; i < 1000; i++) assert.equal(limits.admitWrite('s', SHARD, 10), true);
    assert.equal(limits.admitWrite('s', SHARD, 10), false);
    assert.equal(limits.admitWrite('s', 'shardId-000000000001', 10), true, 'other shards are independent');
    assert.deepEqual(errorOf(() => limits.checkWrite('s', SHARD, 10)), {
      type: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for shard ${SHARD} in stream s under account ${ACCOUNT}.`,
    });
    clock.advance(1);
    assert.equal(limits.admitWrite('s', SHARD, 10), true, 'one record per millisecond refills');
  });

  it('admits 1 MiB per second per shard', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    assert.equal(limits.admitWrite('s', SHARD, 512 * 1024), true);
    assert.equal(limits.admitWrite('s', SHARD, 512 * 1024), true);
    assert.equal(limits.admitWrite('s', SHARD, 1), false);
    clock.advance(250);
    assert.equal(limits.admitWrite('s', SHARD, 256 * 1024), true);
    assert.equal(limits.admitWrite('s', SHARD, 1), false);
  });

  it('a throttled byte check does not consume a record token', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    assert.equal(limits.admitWrite('s', SHARD, MiB), true);
    for (let i = 0; i < 10; i++) assert.equal(limits.admitWrite('s', SHARD, 1), false);
    clock.advance(1);
    let admitted = 0;
    while (limits.admitWrite('s', SHARD, 0)) admitted++;
    assert.equal(admitted, 999 + 1, 'records bucket lost only the admitted record (plus 1 ms of refill)');
  });

  it('lets one 10 MiB record burst through a full shard, then throttles until it is paid back', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    assert.equal(limits.admitWrite('s', SHARD, 10 * MiB), true);
    clock.advance(8_999);
    assert.equal(limits.admitWrite('s', SHARD, 1), false);
    clock.advance(2);
    assert.equal(limits.admitWrite('s', SHARD, 1), true);
  });

  it('a large record needs a full bucket', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    assert.equal(limits.admitWrite('s', SHARD, 1), true);
    assert.equal(limits.admitWrite('s', SHARD, 2 * MiB), false);
    clock.advance(1);
    assert.equal(limits.admitWrite('s', SHARD, 2 * MiB), true);
  });
});

describe('shard reads', () => {
  it('admits 5 GetRecords calls per second per shard', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    for (let i = 0; i < 5; i++) limits.checkRead('s', SHARD);
    assert.deepEqual(errorOf(() => limits.checkRead('s', SHARD)), {
      type: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for Shard - ${ACCOUNT}/s/${SHARD}`,
    });
    clock.advance(200);
    limits.checkRead('s', SHARD);
  });

  it('after a 10 MiB reply the shard refuses reads until the bytes are paid back at 2 MiB/s', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    limits.checkRead('s', SHARD);
    limits.chargeRead('s', SHARD, 10 * MiB);
    clock.advance(3_999);
    assert.equal(errorOf(() => limits.checkRead('s', SHARD)).type, 'ProvisionedThroughputExceededException');
    clock.advance(1);
    limits.checkRead('s', SHARD);
  });
});

describe('control plane', () => {
  it('throttles DescribeStream beyond 10 calls per second with LimitExceededException', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    for (let i = 0; i < 10; i++) limits.checkControlPlane('DescribeStream', `s${i}`);
    assert.deepEqual(errorOf(() => limits.checkControlPlane('DescribeStream', 'x')), {
      type: 'LimitExceededException',
      message: `Rate exceeded for stream x under account ${ACCOUNT}.`,
    });
    clock.advance(100);
    limits.checkControlPlane('DescribeStream', 'x');
  });

  it('keeps per-stream quotas per stream and leaves unlisted operations alone', () => {
    const clock = new ManualClock(0);
    const limits = createLimits('aws', clock, ACCOUNT);
    for (let i = 0; i < 5; i++) limits.checkControlPlane('ListStreamConsumers', 'a');
    assert.equal(errorOf(() => limits.checkControlPlane('ListStreamConsumers', 'a')).type, 'LimitExceededException');
    limits.checkControlPlane('ListStreamConsumers', 'b');
    for (let i = 0; i < 100; i++) limits.checkControlPlane('PutRecord', 'a');
  });

  it('names the account when the call names no stream', () => {
    const limits = createLimits('aws', new ManualClock(0), ACCOUNT);
    limits.checkControlPlane('DescribeLimits', undefined);
    assert.equal(errorOf(() => limits.checkControlPlane('DescribeLimits', undefined)).message, `Rate exceeded for account ${ACCOUNT}.`);
  });

  it('GetShardIterator allows 5 calls per second per shard', () => {
    const limits = createLimits('aws', new ManualClock(0), ACCOUNT);
    for (let i = 0; i < 5; i++) limits.checkGetShardIterator('s', SHARD);
    assert.equal(errorOf(() => limits.checkGetShardIterator('s', SHARD)).type, 'LimitExceededException');
    limits.checkGetShardIterator('s', 'shardId-000000000001');
  });

  it('wraps an operation map and finds the stream in names and ARNs', async () => {
    const limits = createLimits('aws', new ManualClock(0), ACCOUNT);
    let calls = 0;
    const ops = withControlPlaneLimits(new Map([['DescribeLimits', () => { calls++; return {}; }]]), limits);
    const handler = ops.get('DescribeLimits')!;
    await handler({}, {} as RequestContext);
    assert.throws(() => handler({}, {} as RequestContext), { name: 'LimitExceededException' });
    assert.equal(calls, 1);
    assert.equal(streamNameOfInput({ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/abc` }), 'abc');
    assert.equal(streamNameOfInput({ ConsumerARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/abc/consumer/c:1` }), 'abc');
  });

  it('limits off admits everything', () => {
    const limits = createLimits('off', new ManualClock(0), ACCOUNT);
    for (let i = 0; i < 5000; i++) {
      assert.equal(limits.admitWrite('s', SHARD, MiB), true);
      limits.checkRead('s', SHARD);
      limits.checkControlPlane('DescribeLimits', undefined);
    }
  });
});

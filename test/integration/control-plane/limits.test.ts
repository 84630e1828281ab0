import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeLimitsCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { ManualClock } from '../../../src/domain/clock.js';
import { useKinesisServer } from '../../helpers/server.js';

const SHARD = 'shardId-000000000000';

describe('throughput limits (--limits aws) with an injected clock', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t = useKinesisServer({ limits: 'aws' }, { clock });

  before(async () => {
    await t.client.send(new CreateStreamCommand({ StreamName: 'lim', ShardCount: 1 }));
  });

  it('PutRecords fails records past 1,000 per second per shard one by one, PutRecord throws', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from('x') }));
    assert.equal((await t.client.send(new PutRecordsCommand({ StreamName: 'lim', Records: records }))).FailedRecordCount, 0);
    assert.equal((await t.client.send(new PutRecordsCommand({ StreamName: 'lim', Records: records }))).FailedRecordCount, 0);
    const third = await t.client.send(new PutRecordsCommand({ StreamName: 'lim', Records: records.slice(0, 3) }));
    assert.equal(third.FailedRecordCount, 3);
    assert.deepEqual(third.Records![0], {
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard ${SHARD} in stream lim under account 000000000000.`,
    });
    await assert.rejects(t.client.send(new PutRecordCommand({ StreamName: 'lim', PartitionKey: 'a', Data: Buffer.from('x') })), {
      name: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for shard ${SHARD} in stream lim under account 000000000000.`,
    });
    clock.advance(1000);
    const put = await t.client.send(new PutRecordCommand({ StreamName: 'lim', PartitionKey: 'a', Data: Buffer.from('x') }));
    assert.equal(put.ShardId, SHARD);
  });

  it('GetRecords allows 5 calls per second per shard', async () => {
    clock.advance(1000);
    const { ShardIterator } = await t.client.send(new GetShardIteratorCommand({ StreamName: 'lim', ShardId: SHARD, ShardIteratorType: 'LATEST' }));
    for (let i = 0; i < 5; i++) await t.client.send(new GetRecordsCommand({ ShardIterator }));
    await assert.rejects(t.client.send(new GetRecordsCommand({ ShardIterator })), {
      name: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for Shard - 000000000000/lim/${SHARD}`,
    });
    clock.advance(200);
    await t.client.send(new GetRecordsCommand({ ShardIterator }));
    const text = await (await fetch(`${t.server.endpoint}/metrics`)).text();
    assert.match(text, /^runnel_kinesis_stream_read_provisioned_throughput_exceeded_total\{stream="lim"\} 1$/m);
    assert.match(text, /^runnel_kinesis_stream_write_provisioned_throughput_exceeded_total\{stream="lim"\} 4$/m);
  });

  it('control-plane calls beyond their TPS get LimitExceededException', async () => {
    clock.advance(1000);
    await t.client.send(new DescribeLimitsCommand({}));
    await assert.rejects(t.client.send(new DescribeLimitsCommand({})), {
      name: 'LimitExceededException',
      message: 'Rate exceeded for account 000000000000.',
    });
    clock.advance(1000);
    await t.client.send(new DescribeLimitsCommand({}));
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import type { StreamMeta } from '../../../src/domain/stream.js';
import { kinesisClient, startTestServer } from '../../helpers/server.js';

describe('resharding recovery', () => {
  it('a parent left without its end by a stop between the two commits is sealed on restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'runnel-recover-'));
    try {
      const first = await startTestServer({ inMemory: false, dataDir });
      const firstClient = kinesisClient(first.endpoint);
      await firstClient.send(new CreateStreamCommand({ StreamName: 'crash', ShardCount: 1 }));
      await firstClient.send(new PutRecordCommand({ StreamName: 'crash', PartitionKey: 'k', Data: Buffer.from('one') }));
      await firstClient.send(new PutRecordCommand({ StreamName: 'crash', PartitionKey: 'k', Data: Buffer.from('two') }));
      await firstClient.send(new SplitShardCommand({ StreamName: 'crash', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
      const meta = first.app.storage.meta;
      const entry = (await meta.get<StreamMeta>('kinesis/stream/crash'))!;
      assert.equal(entry.value.shards[0]!.endCounter, 2);
      const shards = entry.value.shards.map((shard) => {
        if (shard.index !== 0) return shard;
        const { endCounter: _dropped, ...unsealed } = shard;
        return unsealed;
      });
      await meta.commit([{ op: 'put', key: 'kinesis/stream/crash', value: { ...entry.value, shards }, expectVersion: entry.version }]);
      firstClient.destroy();
      await first.close();

      const second = await startTestServer({ inMemory: false, dataDir });
      const client = kinesisClient(second.endpoint);
      try {
        const restored = (await second.app.storage.meta.get<StreamMeta>('kinesis/stream/crash'))!;
        assert.equal(restored.value.shards[0]!.endCounter, 2);
        const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: 'crash', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
        const reply = await client.send(new GetRecordsCommand({ ShardIterator }));
        assert.deepEqual(reply.Records!.map((r) => Buffer.from(r.Data!).toString()), ['one', 'two']);
        assert.equal(reply.NextShardIterator, undefined);
        assert.equal(reply.ChildShards!.length, 2);
      } finally {
        client.destroy();
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

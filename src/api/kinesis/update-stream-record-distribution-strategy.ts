import { streamNotActive } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

interface UpdateStreamRecordDistributionStrategyInput {
  StreamARN: string;
  RecordDistributionStrategy: 'AUTO' | 'USER_PARTITION_KEY';
}

/**
 * AUTO: PutRecord(s) place records on random hash keys, spreading them evenly over the open
 * shards and ignoring PartitionKey and ExplicitHashKey (so per-key order is not kept).
 * USER_PARTITION_KEY (the default): records go by partition key. Takes effect at once.
 */
export const updateStreamRecordDistributionStrategy: KinesisOperation = ({ streams }) =>
  async (input: UpdateStreamRecordDistributionStrategyInput) => {
    const stream = streams.resolve(input);
    if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
    await streams.mutate(stream.name, (meta) => ({ ...meta, recordDistributionStrategy: input.RecordDistributionStrategy }));
    return {};
  };

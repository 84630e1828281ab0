import { streamNotActive } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

interface UpdateStreamRecordDistributionStrategyInput {
  StreamARN: string;
  RecordDistributionStrategy: 'AUTO' | 'USER_PARTITION_KEY';
}

const STRATEGY_PREFIX = 'kinesis/record-distribution/';

interface StoredStrategy {
  readonly uid: string;
  readonly strategy: 'AUTO' | 'USER_PARTITION_KEY';
}

/** Stores the stream's strategy (USER_PARTITION_KEY when never set). Routing by AUTO is not yet
 * applied by PutRecord(s): records still go by partition key (README "Not yet supported"). */
export const updateStreamRecordDistributionStrategy: KinesisOperation = ({ streams, controlPlane }) =>
  async (input: UpdateStreamRecordDistributionStrategyInput) => {
    const stream = streams.resolve(input);
    if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
    const value: StoredStrategy = { uid: stream.meta.uid, strategy: input.RecordDistributionStrategy };
    await controlPlane.meta.commit([{ op: 'put', key: STRATEGY_PREFIX + stream.name, value }]);
    return {};
  };

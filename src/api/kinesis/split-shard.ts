import type { KinesisOperation } from './deps.js';

interface SplitShardInput {
  StreamName?: string;
  StreamARN?: string;
  ShardToSplit: string;
  NewStartingHashKey: string;
}

export const splitShard: KinesisOperation = ({ controlPlane }) => async (input: SplitShardInput) => {
  await controlPlane.resharder.splitShard(input);
  return {};
};

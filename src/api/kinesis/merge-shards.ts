import type { KinesisOperation } from './deps.js';

interface MergeShardsInput {
  StreamName?: string;
  StreamARN?: string;
  ShardToMerge: string;
  AdjacentShardToMerge: string;
}

export const mergeShards: KinesisOperation = ({ controlPlane }) => async (input: MergeShardsInput) => {
  await controlPlane.resharder.mergeShards(input);
  return {};
};

import type { KinesisOperation } from './deps.js';

interface UpdateShardCountInput {
  StreamName?: string;
  StreamARN?: string;
  TargetShardCount: number;
  ScalingType: 'UNIFORM_SCALING';
}

export const updateShardCount: KinesisOperation = ({ controlPlane }) => (input: UpdateShardCountInput) =>
  controlPlane.resharder.updateShardCount(input);

import type { KinesisOperation } from './deps.js';

interface DeleteResourcePolicyInput {
  ResourceARN: string;
}

export const deleteResourcePolicy: KinesisOperation = ({ controlPlane }) => async (input: DeleteResourcePolicyInput) => {
  await controlPlane.policies.delete(input.ResourceARN);
  return {};
};

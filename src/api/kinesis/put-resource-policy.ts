import type { KinesisOperation } from './deps.js';

interface PutResourcePolicyInput {
  ResourceARN: string;
  Policy: string;
}

export const putResourcePolicy: KinesisOperation = ({ controlPlane }) => async (input: PutResourcePolicyInput) => {
  await controlPlane.policies.put(input.ResourceARN, input.Policy);
  return {};
};

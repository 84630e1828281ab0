import type { KinesisOperation } from './deps.js';

interface GetResourcePolicyInput {
  ResourceARN: string;
}

/** A resource without a policy answers the empty policy `{}`. */
export const getResourcePolicy: KinesisOperation = ({ controlPlane }) => async (input: GetResourcePolicyInput) => ({
  Policy: controlPlane.policies.get(input.ResourceARN) ?? '{}',
});

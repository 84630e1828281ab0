export { createLimits, type Limits } from './limits.js';
export { withControlPlaneLimits, streamNameOfInput } from './control-plane.js';
export { TokenBucket } from './token-bucket.js';
export * from './aws-limits.js';

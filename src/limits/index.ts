export { createLimits, type Limits, type ThrottleListener } from './limits.js';
export { withControlPlaneLimits, streamNameOfInput } from './control-plane.js';
export { TokenBucket } from './token-bucket.js';
export * from './aws-limits.js';

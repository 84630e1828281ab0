export { parsePolicy, type PolicyDocument, type Statement } from './document.js';
export { evaluatePolicy, isAccessAllowed, wildcardMatch, type AccessRequest, type Decision } from './evaluate.js';
export { ResourcePolicies } from './store.js';
export { withResourcePolicies, principalArnOf } from './enforce.js';

/**
 * Evaluation of a resource policy for one request, following IAM's order: an explicit Deny wins,
 * then an Allow, else no decision ("implicit").
 *
 * Runnel has no identity policies. Its rule (docs/control-plane.md "Resource policies"): a caller in the server's
 * own account is treated as having full identity permissions, so a resource policy can only take
 * access away from it, with an explicit Deny. A caller from another account would need an Allow.
 */
import type { ConditionClause, PolicyDocument, Principals, Statement } from './document.js';

export interface AccessRequest {
  /** e.g. `arn:aws:iam::123456789012:user/AKIDEXAMPLE` (see principal.ts). */
  readonly principalArn: string;
  readonly principalAccount: string;
  /** `kinesis:<Operation>`. */
  readonly action: string;
  readonly resourceArn: string;
  /** Condition keys besides the aws:Principal* ones (e.g. aws:SecureTransport). */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'allow' | 'deny' | 'implicit';

export function evaluatePolicy(policy: PolicyDocument, request: AccessRequest): Decision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementApplies(statement, request)) continue;
    if (statement.effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit';
}

/** Whether a caller may go ahead given the resource's policy (or none). */
export function isAccessAllowed(policy: PolicyDocument | undefined, request: AccessRequest, resourceAccount: string): boolean {
  const decision = policy === undefined ? 'implicit' : evaluatePolicy(policy, request);
  if (decision === 'deny') return false;
  return request.principalAccount === resourceAccount || decision === 'allow';
}

function statementApplies(statement: Statement, request: AccessRequest): boolean {
  const principalMatches = principalMatch(statement.principal, request);
  if (principalMatches === statement.notPrincipal) return false;
  const actionMatches = statement.actions.some((pattern) => wildcardMatch(pattern, request.action, true));
  if (actionMatches === statement.notAction) return false;
  if (statement.resources !== undefined) {
    const resourceMatches = statement.resources.some((pattern) => wildcardMatch(pattern, request.resourceArn, false));
    if (resourceMatches === statement.notResource) return false;
  }
  return statement.conditions.every((clause) => conditionHolds(clause, request));
}

function principalMatch(principal: Principals, request: AccessRequest): boolean {
  if (principal.anyone) return true;
  return principal.aws.some((entry) =>
    entry === request.principalAccount ||
    entry === `arn:aws:iam::${request.principalAccount}:root` ||
    entry === request.principalArn);
}

function contextValue(key: string, request: AccessRequest): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:principalarn': return request.principalArn;
    case 'aws:principalaccount': return request.principalAccount;
    default: {
      const entry = Object.entries(request.context ?? {}).find(([name]) => name.toLowerCase() === key.toLowerCase());
      return entry?.[1];
    }
  }
}

function conditionHolds(clause: ConditionClause, request: AccessRequest): boolean {
  const ifExists = clause.operator.endsWith('IfExists');
  const operator = ifExists ? clause.operator.slice(0, -'IfExists'.length) : clause.operator;
  const actual = contextValue(clause.key, request);
  if (operator === 'Null') return clause.values.some((v) => (v === 'true') === (actual === undefined));
  if (actual === undefined) return ifExists;
  const any = (test: (expected: string) => boolean) => clause.values.some(test);
  switch (operator) {
    case 'StringEquals': return any((v) => v === actual);
    case 'StringNotEquals': return !any((v) => v === actual);
    case 'StringEqualsIgnoreCase': return any((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotEqualsIgnoreCase': return !any((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike': case 'ArnLike': case 'ArnEquals': return any((v) => wildcardMatch(v, actual, false));
    case 'StringNotLike': case 'ArnNotLike': case 'ArnNotEquals': return !any((v) => wildcardMatch(v, actual, false));
    case 'Bool': return any((v) => v.toLowerCase() === actual.toLowerCase());
    default: return false;
  }
}

/** IAM wildcards: `*` any run of characters, `?` one character. Actions match case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

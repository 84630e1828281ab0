/**
 * Resource policy documents: parsing and validation of the IAM policy grammar Kinesis accepts for
 * streams and consumers (Version, Statement[], Sid, Effect, Principal/NotPrincipal,
 * Action/NotAction, Resource/NotResource, Condition).
 *
 * Validation errors are InvalidArgumentException with `Invalid policy document: <reason>`; the
 * reasons are Runnel's wording (AWS does not document its texts).
 */
import { InvalidArgumentException } from '../errors/kinesis.js';

export type Effect = 'Allow' | 'Deny';

export interface Principals {
  /** True for `"Principal": "*"` or `{"AWS": "*"}`. */
  readonly anyone: boolean;
  readonly aws: readonly string[];
  readonly service: readonly string[];
}

export interface ConditionClause {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly principal: Principals;
  /** True for NotPrincipal: the statement applies to everyone except `principal`. */
  readonly notPrincipal: boolean;
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** Undefined: the statement applies to the resource the policy is attached to. */
  readonly resources: readonly string[] | undefined;
  readonly notResource: boolean;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly version: string;
  readonly statements: readonly Statement[];
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION = /^(\*|kinesis:[A-Za-z*?]+)$/i;
const RESOURCE = /^(\*|arn:[^:]+:kinesis:[^:]*:[^:]*:.+)$/;
export const POLICY_BYTES_MAX = 20_480;

/** The condition operators Runnel evaluates (each also with an `IfExists` suffix). */
export const CONDITION_OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'ArnEquals', 'ArnNotEquals', 'ArnLike', 'ArnNotLike', 'Bool', 'Null',
]);

function invalid(reason: string): InvalidArgumentException {
  return new InvalidArgumentException(`Invalid policy document: ${reason}`);
}

export function parsePolicy(text: string): PolicyDocument {
  if (Buffer.byteLength(text) > POLICY_BYTES_MAX) throw invalid(`the document exceeds ${POLICY_BYTES_MAX} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('the document is not valid JSON');
  }
  if (!isObject(json)) throw invalid('the document must be a JSON object');
  const version = json.Version ?? '2008-10-17';
  if (typeof version !== 'string' || !VERSIONS.has(version)) throw invalid('Version must be 2012-10-17 or 2008-10-17');
  for (const key of Object.keys(json)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) throw invalid(`unknown top-level element ${key}`);
  }
  const rawStatements = json.Statement;
  const list = Array.isArray(rawStatements) ? rawStatements : rawStatements === undefined ? [] : [rawStatements];
  if (list.length === 0) throw invalid('Statement is missing or empty');
  const statements = list.map((raw, i) => parseStatement(raw, i + 1));
  const sids = statements.map((s) => s.sid).filter((sid): sid is string => sid !== undefined);
  if (new Set(sids).size !== sids.length) throw invalid('statement ids (Sid) must be unique');
  return { version, statements };
}

function parseStatement(raw: unknown, position: number): Statement {
  const where = `statement ${position}`;
  if (!isObject(raw)) throw invalid(`${where} must be an object`);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw invalid(`${where} has unknown element ${key}`);
  if (raw.Sid !== undefined && (typeof raw.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(raw.Sid))) {
    throw invalid(`${where}: Sid must be alphanumeric`);
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw invalid(`${where}: Effect must be Allow or Deny`);

  const principalRaw = exactlyOne(raw, 'Principal', 'NotPrincipal', where);
  const actionRaw = exactlyOne(raw, 'Action', 'NotAction', where);
  if (raw.Resource !== undefined && raw.NotResource !== undefined) throw invalid(`${where} has both Resource and NotResource`);

  const actions = stringList(actionRaw.value, `${where}: ${actionRaw.name}`);
  for (const action of actions) {
    if (!ACTION.test(action)) throw invalid(`${where}: action ${action} is not a Kinesis action`);
  }
  const resourceRaw = raw.Resource ?? raw.NotResource;
  const resources = resourceRaw === undefined ? undefined : stringList(resourceRaw, `${where}: Resource`);
  for (const resource of resources ?? []) {
    if (!RESOURCE.test(resource)) throw invalid(`${where}: resource ${resource} is not a Kinesis ARN`);
  }
  return {
    sid: raw.Sid as string | undefined,
    effect: raw.Effect,
    principal: parsePrincipal(principalRaw.value, `${where}: ${principalRaw.name}`),
    notPrincipal: principalRaw.name === 'NotPrincipal',
    actions,
    notAction: actionRaw.name === 'NotAction',
    resources,
    notResource: raw.NotResource !== undefined,
    conditions: raw.Condition === undefined ? [] : parseConditions(raw.Condition, where),
  };
}

function exactlyOne(raw: Record<string, unknown>, name: string, notName: string, where: string): { name: string; value: unknown } {
  if (raw[name] !== undefined && raw[notName] !== undefined) throw invalid(`${where} has both ${name} and ${notName}`);
  if (raw[name] !== undefined) return { name, value: raw[name] };
  if (raw[notName] !== undefined) return { name: notName, value: raw[notName] };
  throw invalid(`${where} is missing ${name}`);
}

function parsePrincipal(value: unknown, where: string): Principals {
  if (value === '*') return { anyone: true, aws: [], service: [] };
  if (!isObject(value) || Object.keys(value).length === 0) throw invalid(`${where} must be "*" or an object of principal types`);
  let anyone = false;
  let aws: string[] = [];
  let service: string[] = [];
  for (const [type, entries] of Object.entries(value)) {
    const list = stringList(entries, `${where}.${type}`);
    if (type === 'AWS') {
      for (const principal of list) {
        if (principal === '*') anyone = true;
        else if (!/^(\d{12}|arn:aws[a-z-]*:(iam|sts)::\d{12}:.+)$/.test(principal)) throw invalid(`${where}: invalid principal ${principal}`);
      }
      aws = list.filter((p) => p !== '*');
    } else if (type === 'Service') {
      service = list;
    } else if (type !== 'Federated' && type !== 'CanonicalUser') {
      throw invalid(`${where}: unknown principal type ${type}`);
    }
  }
  return { anyone, aws, service };
}

function parseConditions(value: unknown, where: string): ConditionClause[] {
  if (!isObject(value)) throw invalid(`${where}: Condition must be an object`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    const base = operator.endsWith('IfExists') ? operator.slice(0, -'IfExists'.length) : operator;
    if (!CONDITION_OPERATORS.has(base)) throw invalid(`${where}: unsupported condition operator ${operator}`);
    if (!isObject(block)) throw invalid(`${where}: condition ${operator} must be an object`);
    for (const [key, values] of Object.entries(block)) {
      const list = Array.isArray(values) ? values : [values];
      if (list.length === 0 || !list.every((v) => ['string', 'boolean', 'number'].includes(typeof v))) {
        throw invalid(`${where}: condition ${operator} ${key} needs string values`);
      }
      clauses.push({ operator, key, values: list.map(String) });
    }
  }
  return clauses;
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
    throw invalid(`${where} must be a non-empty string or list of strings`);
  }
  return list as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * KMS key identifiers as Kinesis accepts them, and which of them Runnel treats as existing.
 *
 * Forms: key ARN `arn:aws:kms:<region>:<account>:key/<key-id>`, alias ARN
 * `arn:aws:kms:<region>:<account>:alias/<name>`, bare key id (a UUID or a multi-Region `mrk-` id),
 * `alias/<name>`, and the AWS managed key `alias/aws/kinesis`.
 *
 * Runnel has no KMS, so "known" is a rule, documented in docs/control-plane.md ("Encryption at rest"):
 * - every key id and every customer alias in the server's own account and region exists;
 * - `alias/aws/kinesis` exists; other `alias/aws/...` names (managed keys of other services) don't;
 * - an ARN in another region does not exist (KMSNotFoundException), an ARN in another account is
 *   not usable (KMSAccessDeniedException);
 * - anything not in one of the forms above does not exist (KMSNotFoundException).
 * Two spellings of one key (a UUID and its ARN, an alias and its ARN) resolve to the same key.
 */
import { KMSAccessDeniedException, KMSNotFoundException } from '../errors/kinesis.js';

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const KMS_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;
const AWS_MANAGED_PREFIX = 'alias/aws/';
export const KINESIS_MANAGED_ALIAS = 'alias/aws/kinesis';

export interface KeyScope {
  readonly region: string;
  readonly accountId: string;
}

/** The canonical ARN of the key a KeyId names, or a KMS* error when it names no usable key. */
export function resolveKeyId(keyId: string, scope: KeyScope): string {
  const arnMatch = KMS_ARN.exec(keyId);
  if (arnMatch) {
    const [, partition, region, accountId, resource] = arnMatch as unknown as [string, string, string, string, string];
    if (accountId !== scope.accountId) {
      throw new KMSAccessDeniedException(`User arn:aws:iam::${scope.accountId}:root is not authorized to use key ${keyId}`);
    }
    if (region !== scope.region || !resourceIsValid(resource)) throw notFound(keyId);
    return `arn:${partition}:kms:${region}:${accountId}:${resource}`;
  }
  if (KEY_ID.test(keyId)) return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
  if (ALIAS_NAME.test(keyId) && managedAliasIsUsable(keyId)) {
    return `arn:aws:kms:${scope.region}:${scope.accountId}:${keyId}`;
  }
  throw notFound(keyId);
}

function resourceIsValid(resource: string): boolean {
  if (resource.startsWith('key/')) return KEY_ID.test(resource.slice('key/'.length));
  return ALIAS_NAME.test(resource) && managedAliasIsUsable(resource);
}

function managedAliasIsUsable(alias: string): boolean {
  return !alias.startsWith(AWS_MANAGED_PREFIX) || alias === KINESIS_MANAGED_ALIAS;
}

function notFound(keyId: string): KMSNotFoundException {
  return keyId.includes('alias/')
    ? new KMSNotFoundException(`Alias ${keyId} is not found.`)
    : new KMSNotFoundException(`Invalid keyId ${keyId}`);
}

/**
 * Enforcement of resource policies, on only when signature verification is on (`authKeys` set):
 * without verified credentials there is no principal to judge.
 *
 * Principal rule (docs/control-plane.md "Resource policies"): the access key of a verified request is the IAM
 * user `arn:aws:iam::<server account>:user/<access key id>` of the server's account. The resource
 * a call concerns is its ConsumerARN, ResourceARN, StreamARN or StreamName; a consumer is also
 * governed by its stream's policy; GetRecords concerns the stream its ShardIterator was issued for.
 * Calls naming no stream (ListStreams, DescribeLimits) are not checked.
 */
import type { OperationHandler, RequestContext } from '../api/operation.js';
import { AccessDeniedException } from '../errors/common.js';
import { isAccessAllowed } from './evaluate.js';
import type { ResourcePolicies } from './store.js';

const CONSUMER_SUFFIX = /\/consumer\/[a-zA-Z0-9_.-]+:[0-9]+$/;

export function principalArnOf(accountId: string, accessKeyId: string): string {
  return `arn:aws:iam::${accountId}:user/${accessKeyId}`;
}

/** The stream name a shard iterator was issued for, or undefined for an invalid iterator. */
export type IteratorStream = (shardIterator: string) => string | undefined;

function resourcesOf(input: Record<string, unknown>, ctx: RequestContext, iteratorStream: IteratorStream | undefined): string[] {
  const arn = [input.ConsumerARN, input.ResourceARN, input.StreamARN].find((value): value is string => typeof value === 'string');
  if (arn !== undefined) {
    const streamArn = arn.replace(CONSUMER_SUFFIX, '');
    return streamArn === arn ? [arn] : [arn, streamArn];
  }
  const streamName = typeof input.StreamName === 'string'
    ? input.StreamName
    : typeof input.ShardIterator === 'string' ? iteratorStream?.(input.ShardIterator) : undefined;
  return streamName === undefined ? [] : [`arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/${streamName}`];
}

export function withResourcePolicies(
  operations: ReadonlyMap<string, OperationHandler>,
  policies: ResourcePolicies,
  enabled: boolean,
  iteratorStream?: IteratorStream,
): ReadonlyMap<string, OperationHandler> {
  if (!enabled) return operations;
  const wrapped = new Map<string, OperationHandler>();
  for (const [name, handler] of operations) {
    const action = `kinesis:${name}`;
    wrapped.set(name, (input, ctx) => {
      if (ctx.accessKeyId !== undefined && typeof input === 'object' && input !== null) {
        const principalArn = principalArnOf(ctx.accountId, ctx.accessKeyId);
        for (const resourceArn of resourcesOf(input as Record<string, unknown>, ctx, iteratorStream)) {
          const request = { principalArn, principalAccount: ctx.accountId, action, resourceArn };
          if (!isAccessAllowed(policies.document(resourceArn), request, ctx.accountId)) {
            throw new AccessDeniedException(
              `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn} with an explicit deny in a resource-based policy`,
            );
          }
        }
      }
      return handler(input, ctx);
    });
  }
  return wrapped;
}

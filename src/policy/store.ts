/**
 * Resource policies attached to streams and consumers, kept in the MetaStore under
 * `kinesis/policy/<resource ARN>` with the stream's uid, so a policy never outlives its stream
 * (a stream deleted and created again under the same name starts without one).
 */
import { parseStreamArn } from '../domain/arn.js';
import { ResourceNotFoundException } from '../errors/kinesis.js';
import type { MetaStore } from '../storage/types.js';
import { streamNotFound } from '../streams/messages.js';
import type { StreamService, StreamView } from '../streams/stream-service.js';
import { parsePolicy, type PolicyDocument } from './document.js';

const POLICY_PREFIX = 'kinesis/policy/';
const CONSUMER_SUFFIX = /\/consumer\/[a-zA-Z0-9_.-]+:[0-9]+$/;

interface StoredPolicy {
  readonly streamName: string;
  readonly streamUid: string;
  readonly policy: string;
}

/** Finds a registered consumer by ARN, throwing ResourceNotFoundException when there is none. */
export interface ConsumerLookup {
  resolveArn(arn: string): unknown;
}

export class ResourcePolicies {
  private readonly cache = new Map<string, { stored: StoredPolicy; document: PolicyDocument }>();

  private constructor(
    private readonly meta: MetaStore,
    private readonly streams: StreamService,
    private readonly consumers: ConsumerLookup | undefined,
  ) {}

  static async open(meta: MetaStore, streams: StreamService, consumers?: ConsumerLookup): Promise<ResourcePolicies> {
    const policies = new ResourcePolicies(meta, streams, consumers);
    for (const entry of await meta.list<StoredPolicy>(POLICY_PREFIX)) {
      policies.cache.set(entry.key.slice(POLICY_PREFIX.length), { stored: entry.value, document: parsePolicy(entry.value.policy) });
    }
    return policies;
  }

  /** The stream a stream or consumer ARN belongs to; ResourceNotFoundException when the stream
   * (or the consumer) does not exist. */
  resourceStream(resourceArn: string): StreamView {
    const streamArn = resourceArn.replace(CONSUMER_SUFFIX, '');
    const parsed = parseStreamArn(streamArn);
    if (parsed === undefined) throw new ResourceNotFoundException(`Resource ${resourceArn} not found.`);
    const stream = this.streams.get(parsed.streamName);
    if (stream === undefined || parsed.accountId !== this.streams.accountId || parsed.region !== this.streams.region) {
      throw streamNotFound(parsed.streamName, parsed.accountId);
    }
    if (streamArn !== resourceArn) this.consumers?.resolveArn(resourceArn);
    return stream;
  }

  async put(resourceArn: string, policy: string): Promise<void> {
    const stream = this.resourceStream(resourceArn);
    const document = parsePolicy(policy);
    const stored: StoredPolicy = { streamName: stream.name, streamUid: stream.meta.uid, policy };
    await this.meta.commit([{ op: 'put', key: POLICY_PREFIX + resourceArn, value: stored }]);
    this.cache.set(resourceArn, { stored, document });
  }

  /** The policy text, or undefined when none is attached. */
  get(resourceArn: string): string | undefined {
    const stream = this.resourceStream(resourceArn);
    return this.current(resourceArn, stream)?.stored.policy;
  }

  async delete(resourceArn: string): Promise<void> {
    this.resourceStream(resourceArn);
    await this.meta.commit([{ op: 'delete', key: POLICY_PREFIX + resourceArn }]);
    this.cache.delete(resourceArn);
  }

  /** The parsed policy in force for a resource, for enforcement. */
  document(resourceArn: string): PolicyDocument | undefined {
    const entry = this.cache.get(resourceArn);
    if (entry === undefined) return undefined;
    const stream = this.streams.get(entry.stored.streamName);
    return stream === undefined ? undefined : this.current(resourceArn, stream)?.document;
  }

  async forgetStream(streamName: string): Promise<void> {
    const stale = [...this.cache].filter(([, entry]) => entry.stored.streamName === streamName).map(([arn]) => arn);
    if (stale.length === 0) return;
    await this.meta.commit(stale.map((arn) => ({ op: 'delete' as const, key: POLICY_PREFIX + arn })));
    for (const arn of stale) this.cache.delete(arn);
  }

  private current(resourceArn: string, stream: StreamView): { stored: StoredPolicy; document: PolicyDocument } | undefined {
    const entry = this.cache.get(resourceArn);
    return entry !== undefined && entry.stored.streamUid === stream.meta.uid ? entry : undefined;
  }
}

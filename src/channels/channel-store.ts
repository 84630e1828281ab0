/**
 * Channels (CreateChannel & co.): the definitions. A channel is stored as one MetaStore
 * document under `kinesis/channel/<name>`; its status is derived from the injected clock
 * (CREATING for `createStreamMs`, UPDATING for `updateStreamMs` after an update, DELETING for
 * `deleteStreamMs` before it disappears), so no timers run.
 *
 * Delivery to S3 is `delivery.ts`, which follows the changes made here through `onChange`.
 *
 * ARN and id are Runnel's choice (AWS does not document their form):
 * `arn:aws:kinesis:<region>:<account>:channel/<name>` and a 20-character lowercase id.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { ResourceInUseException, ResourceNotFoundException } from '../errors/kinesis.js';
import type { ServerConfig } from '../server/config.js';
import type { MetaStore } from '../storage/types.js';

export const CHANNEL_KEY_PREFIX = 'kinesis/channel/';

export type ChannelStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export interface ChannelStreamConfig {
  readonly streamArn: string;
  readonly streamCreatedAtMs: number;
  readonly recordConfiguration: Record<string, unknown>;
}

export interface ChannelDocument {
  readonly name: string;
  readonly id: string;
  readonly createdAtMs: number;
  readonly updatedAtMs?: number;
  readonly deletedAtMs?: number;
  readonly serviceExecutionRoleArn: string;
  readonly streams: readonly ChannelStreamConfig[];
  readonly destinationType: 'S3' | 'S3_TABLES';
  /** The destination configuration as given, with DataFreshnessInSeconds filled in. */
  readonly destination: Record<string, unknown>;
  readonly encryption?: Record<string, unknown>;
  readonly logging: Record<string, unknown>;
  readonly tags: Readonly<Record<string, string>>;
}

export type ChannelChange = 'created' | 'updated' | 'deleted';
/** Runs after each change is stored; the operation answers once it settles. */
export type ChannelListener = (change: ChannelChange, channel: ChannelDocument) => Promise<void>;

export class ChannelStore {
  private readonly listeners: ChannelListener[] = [];

  constructor(
    private readonly meta: MetaStore,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:channel/${name}`;
  }

  nameOf(arn: string): string | undefined {
    const prefix = `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:channel/`;
    return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
  }

  onChange(listener: ChannelListener): void {
    this.listeners.push(listener);
  }

  private async notify(change: ChannelChange, channel: ChannelDocument): Promise<void> {
    for (const listener of this.listeners) await listener(change, channel);
  }

  statusOf(channel: ChannelDocument): ChannelStatus {
    const nowMs = this.clock.now();
    if (channel.deletedAtMs !== undefined) return 'DELETING';
    if (nowMs < channel.createdAtMs + this.config.createStreamMs) return 'CREATING';
    if (channel.updatedAtMs !== undefined && nowMs < channel.updatedAtMs + this.config.updateStreamMs) return 'UPDATING';
    return 'ACTIVE';
  }

  async create(channel: Omit<ChannelDocument, 'id' | 'createdAtMs'>): Promise<ChannelDocument> {
    const existing = await this.find(channel.name);
    if (existing !== undefined) {
      throw new ResourceInUseException(`Channel ${channel.name} under account ${this.config.accountId} already exists.`);
    }
    const document: ChannelDocument = { ...channel, id: randomBytes(10).toString('hex'), createdAtMs: this.clock.now() };
    await this.meta.commit([{ op: 'put', key: CHANNEL_KEY_PREFIX + channel.name, value: document }]);
    await this.notify('created', document);
    return document;
  }

  /** The channel an ARN names, or ResourceNotFoundException (also once it is fully deleted). */
  async get(arn: string): Promise<ChannelDocument> {
    const name = this.nameOf(arn);
    const channel = name === undefined ? undefined : await this.find(name);
    if (channel === undefined) throw new ResourceNotFoundException(`Channel ${arn} under account ${this.config.accountId} not found.`);
    return channel;
  }

  async update(arn: string, change: (channel: ChannelDocument) => ChannelDocument): Promise<ChannelDocument> {
    const channel = await this.get(arn);
    const status = this.statusOf(channel);
    if (status !== 'ACTIVE') {
      throw new ResourceInUseException(`Channel ${channel.name} under account ${this.config.accountId} not ACTIVE, instead in state ${status}`);
    }
    const next = { ...change(channel), updatedAtMs: this.clock.now() };
    await this.meta.commit([{ op: 'put', key: CHANNEL_KEY_PREFIX + channel.name, value: next }]);
    await this.notify('updated', next);
    return next;
  }

  async delete(arn: string): Promise<void> {
    const channel = await this.get(arn);
    if (channel.deletedAtMs !== undefined) return;
    if (this.config.deleteStreamMs <= 0) {
      await this.meta.commit([{ op: 'delete', key: CHANNEL_KEY_PREFIX + channel.name }]);
    } else {
      await this.meta.commit([{ op: 'put', key: CHANNEL_KEY_PREFIX + channel.name, value: { ...channel, deletedAtMs: this.clock.now() } }]);
    }
    await this.notify('deleted', channel);
  }

  /** Every channel still present, ordered by name. */
  async list(): Promise<ChannelDocument[]> {
    const entries = await this.meta.list<ChannelDocument>(CHANNEL_KEY_PREFIX);
    const channels: ChannelDocument[] = [];
    for (const entry of entries) if (await this.present(entry.value)) channels.push(entry.value);
    return channels;
  }

  /** Channels reading a stream incarnation (DescribeStreamSummary's ChannelCount). */
  async countForStream(streamArn: string, streamCreatedAtMs: number): Promise<number> {
    const channels = await this.list();
    return channels.filter((channel) => channel.streams.some((stream) => stream.streamArn === streamArn && stream.streamCreatedAtMs === streamCreatedAtMs)).length;
  }

  private async find(name: string): Promise<ChannelDocument | undefined> {
    const entry = await this.meta.get<ChannelDocument>(CHANNEL_KEY_PREFIX + name);
    return entry !== undefined && (await this.present(entry.value)) ? entry.value : undefined;
  }

  /** False (and the document removed) once a deleted channel's DELETING time is over. */
  private async present(channel: ChannelDocument): Promise<boolean> {
    if (channel.deletedAtMs === undefined || this.clock.now() < channel.deletedAtMs + this.config.deleteStreamMs) return true;
    await this.meta.commit([{ op: 'delete', key: CHANNEL_KEY_PREFIX + channel.name }]);
    return false;
  }
}

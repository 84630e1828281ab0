/** The ChannelDescription and ChannelSummary output shapes. */
import type { ChannelDocument, ChannelStore } from './channel-store.js';

/** The members both shapes begin with. */
function channelIdentity(store: ChannelStore, channel: ChannelDocument): Record<string, unknown> {
  return {
    ChannelName: channel.name,
    ChannelARN: store.arnOf(channel.name),
    ChannelId: channel.id,
    ChannelStatus: store.statusOf(channel),
    ChannelCreationTimestamp: new Date(channel.createdAtMs),
  };
}

export function channelDescription(store: ChannelStore, channel: ChannelDocument): Record<string, unknown> {
  return {
    ...channelIdentity(store, channel),
    ServiceExecutionRoleARN: channel.serviceExecutionRoleArn,
    StreamConfigurationList: channel.streams.map((stream) => ({
      StreamARN: stream.streamArn,
      StreamCreationTimestamp: new Date(stream.streamCreatedAtMs),
      RecordConfiguration: stream.recordConfiguration,
    })),
    ...(channel.destinationType === 'S3'
      ? { S3DestinationConfiguration: channel.destination }
      : { S3TablesDestinationConfiguration: channel.destination }),
    ...(channel.encryption !== undefined ? { EncryptionConfiguration: channel.encryption } : {}),
    LoggingConfiguration: channel.logging,
  };
}

export function channelSummary(store: ChannelStore, channel: ChannelDocument): Record<string, unknown> {
  return {
    ...channelIdentity(store, channel),
    ChannelDestinationType: channel.destinationType,
    Streams: channel.streams.map((stream) => ({ StreamARN: stream.streamArn, StreamCreationTimestamp: new Date(stream.streamCreatedAtMs) })),
  };
}

import { InvalidArgumentException } from '../../errors/kinesis.js';
import { channelDescription } from '../../channels/describe.js';
import type { KinesisOperation } from './deps.js';

interface UpdateChannelInput {
  ChannelARN: string;
  S3DestinationConfiguration?: { DataFreshnessInSeconds: number };
  S3TablesDestinationConfiguration?: { DataFreshnessInSeconds: number };
  LoggingConfiguration?: { CloudWatchLogs: Record<string, unknown> };
}

/** Updates DataFreshnessInSeconds of the channel's own destination type and its logging; the
 * channel shows UPDATING for updateStreamMs. */
export const updateChannel: KinesisOperation = ({ controlPlane }) => async (input: UpdateChannelInput) => {
  const channels = controlPlane.channels;
  const current = await channels.get(input.ChannelARN);
  const wrongType = current.destinationType === 'S3' ? input.S3TablesDestinationConfiguration : input.S3DestinationConfiguration;
  if (wrongType !== undefined) {
    throw new InvalidArgumentException(`Channel ${current.name} delivers to ${current.destinationType}; its destination type cannot be changed.`);
  }
  const freshness = (input.S3DestinationConfiguration ?? input.S3TablesDestinationConfiguration)?.DataFreshnessInSeconds;
  const updated = await channels.update(input.ChannelARN, (channel) => ({
    ...channel,
    ...(freshness !== undefined ? { destination: { ...channel.destination, DataFreshnessInSeconds: freshness } } : {}),
    ...(input.LoggingConfiguration !== undefined ? { logging: { CloudWatchLogs: { ...input.LoggingConfiguration.CloudWatchLogs } } } : {}),
  }));
  return { ChannelDescription: channelDescription(channels, updated) };
};

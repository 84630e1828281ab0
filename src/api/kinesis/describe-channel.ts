import { channelDescription } from '../../channels/describe.js';
import type { KinesisOperation } from './deps.js';

export const describeChannel: KinesisOperation = ({ controlPlane }) => async (input: { ChannelARN: string }) => ({
  ChannelDescription: channelDescription(controlPlane.channels, await controlPlane.channels.get(input.ChannelARN)),
});

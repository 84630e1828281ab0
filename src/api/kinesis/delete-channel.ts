import type { KinesisOperation } from './deps.js';

/** The channel shows DELETING for deleteStreamMs, then is gone. */
export const deleteChannel: KinesisOperation = ({ controlPlane }) => async (input: { ChannelARN: string }) => {
  await controlPlane.channels.delete(input.ChannelARN);
  return {};
};

import { kinesisLimits } from '../../domain/limits.js';
import { ExpiredNextTokenException, InvalidArgumentException } from '../../errors/kinesis.js';
import { channelSummary } from '../../channels/describe.js';
import type { KinesisOperation } from './deps.js';

interface ListChannelsInput {
  StreamFilter?: { StreamARN: string; StreamCreationTimestamp?: Date }[];
  MaxResults?: number;
  NextToken?: string;
}

interface ListChannelsToken {
  readonly issuedAtMs: number;
  readonly after: string;
}

const TOKEN_KIND = 'ListChannels';
/** Runnel's page size bounds (AWS documents none). */
export const listChannelsMaxResults = 100;

/** Channels ordered by name; a StreamFilter keeps those reading any of the given streams. */
export const listChannels: KinesisOperation = ({ controlPlane, pageTokens, clock }) => async (input: ListChannelsInput) => {
  const limit = input.MaxResults ?? listChannelsMaxResults;
  if (limit < 1 || limit > listChannelsMaxResults) {
    throw new InvalidArgumentException(`MaxResults ${limit} must be between 1 and ${listChannelsMaxResults}.`);
  }
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    const token = pageTokens.decode<ListChannelsToken>(TOKEN_KIND, input.NextToken);
    if (!token) throw new InvalidArgumentException(`Invalid NextToken: ${input.NextToken}`);
    if (clock.now() - token.issuedAtMs > kinesisLimits.nextTokenAgeMsMax) throw new ExpiredNextTokenException(`NextToken has expired: ${input.NextToken}`);
    after = token.after;
  }
  const filters = input.StreamFilter ?? [];
  const matching = (await controlPlane.channels.list()).filter((channel) =>
    (after === undefined || channel.name > after) &&
    (filters.length === 0 || filters.some((filter) => channel.streams.some((stream) =>
      stream.streamArn === filter.StreamARN &&
      (filter.StreamCreationTimestamp === undefined || Math.floor(filter.StreamCreationTimestamp.getTime() / 1000) === Math.floor(stream.streamCreatedAtMs / 1000))))));
  const page = matching.slice(0, limit);
  return {
    ChannelSummaries: page.map((channel) => channelSummary(controlPlane.channels, channel)),
    ...(matching.length > limit ? { NextToken: pageTokens.encode<ListChannelsToken>(TOKEN_KIND, { issuedAtMs: clock.now(), after: page[page.length - 1]!.name }) } : {}),
  };
};

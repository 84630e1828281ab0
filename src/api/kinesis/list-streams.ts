import { kinesisLimits } from '../../domain/limits.js';
import { ExpiredNextTokenException, InvalidArgumentException } from '../../errors/kinesis.js';
import { streamModeDetails } from './describe-shapes.js';
import type { KinesisOperation } from './deps.js';

interface ListStreamsInput {
  Limit?: number;
  ExclusiveStartStreamName?: string;
  NextToken?: string;
}

interface ListStreamsToken {
  readonly issuedAtMs: number;
  readonly after: string;
}

const TOKEN_KIND = 'ListStreams';

export const listStreams: KinesisOperation = ({ streams, pageTokens, clock }) => async (input: ListStreamsInput) => {
  let after = input.ExclusiveStartStreamName;
  if (input.NextToken !== undefined) {
    const token = pageTokens.decode<ListStreamsToken>(TOKEN_KIND, input.NextToken);
    if (!token) throw new InvalidArgumentException(`Invalid NextToken: ${input.NextToken}`);
    if (clock.now() - token.issuedAtMs > kinesisLimits.nextTokenAgeMsMax) throw new ExpiredNextTokenException(`NextToken has expired: ${input.NextToken}`);
    after = token.after;
  }
  const limit = Math.min(input.Limit ?? kinesisLimits.listStreamsDefault, kinesisLimits.listStreamsDefault);
  const remaining = streams.list().filter((stream) => after === undefined || stream.name > after);
  const page = remaining.slice(0, limit);
  const hasMore = remaining.length > page.length;
  return {
    StreamNames: page.map((stream) => stream.name),
    HasMoreStreams: hasMore,
    ...(hasMore ? { NextToken: pageTokens.encode(TOKEN_KIND, { issuedAtMs: clock.now(), after: page[page.length - 1]!.name }) } : {}),
    StreamSummaries: page.map((stream) => ({
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: streamModeDetails(stream),
      StreamCreationTimestamp: new Date(stream.meta.createdAtMs),
    })),
  };
};

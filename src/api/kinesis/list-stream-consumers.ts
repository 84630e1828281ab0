import { kinesisLimits } from '../../domain/limits.js';
import { ExpiredNextTokenException, InvalidArgumentException, ResourceNotFoundException } from '../../errors/kinesis.js';
import { consumerShape } from '../../fanout/shapes.js';
import type { KinesisOperation } from './deps.js';

interface ListStreamConsumersInput {
  StreamARN: string;
  NextToken?: string;
  MaxResults?: number;
  StreamCreationTimestamp?: Date;
}

interface ListStreamConsumersToken {
  readonly issuedAtMs: number;
  readonly streamUid: string;
  /** Consumers already returned. */
  readonly offset: number;
}

const TOKEN_KIND = 'ListStreamConsumers';
const PAGE_SIZE_DEFAULT = 100;

/** Consumers in registration order; StreamCreationTimestamp, when given, must be the stream's. */
export const listStreamConsumers: KinesisOperation = ({ fanout, streams, pageTokens, clock }) => async (input: ListStreamConsumersInput) => {
  const stream = streams.resolve({ StreamARN: input.StreamARN });
  if (input.StreamCreationTimestamp !== undefined && Math.floor(input.StreamCreationTimestamp.getTime() / 1000) !== Math.floor(stream.meta.createdAtMs / 1000)) {
    throw new ResourceNotFoundException(`Stream ${stream.name} under account ${streams.accountId} with creation timestamp ${input.StreamCreationTimestamp.getTime()} not found.`);
  }
  let offset = 0;
  if (input.NextToken !== undefined) {
    const token = pageTokens.decode<ListStreamConsumersToken>(TOKEN_KIND, input.NextToken);
    if (!token || token.streamUid !== stream.meta.uid) throw new InvalidArgumentException(`Invalid NextToken: ${input.NextToken}`);
    if (clock.now() - token.issuedAtMs > kinesisLimits.nextTokenAgeMsMax) throw new ExpiredNextTokenException(`NextToken has expired: ${input.NextToken}`);
    offset = token.offset;
  }
  const consumers = fanout.consumers.list(stream);
  const page = consumers.slice(offset, offset + (input.MaxResults ?? PAGE_SIZE_DEFAULT));
  const next = offset + page.length;
  return {
    Consumers: page.map(consumerShape),
    ...(next < consumers.length ? { NextToken: pageTokens.encode(TOKEN_KIND, { issuedAtMs: clock.now(), streamUid: stream.meta.uid, offset: next }) } : {}),
  };
};

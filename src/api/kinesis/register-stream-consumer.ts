import { consumerShape } from '../../fanout/shapes.js';
import { validateTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface RegisterStreamConsumerInput {
  StreamARN: string;
  ConsumerName: string;
  Tags?: Record<string, string>;
}

/** The consumer starts CREATING and becomes ACTIVE after the stream creation delay. */
export const registerStreamConsumer: KinesisOperation = ({ fanout, streams }) => async (input: RegisterStreamConsumerInput) => {
  if (input.Tags) validateTags(input.Tags, streams.resolveName({ StreamARN: input.StreamARN }), streams.accountId);
  const consumer = await fanout.consumers.register(input.StreamARN, input.ConsumerName, input.Tags);
  return { Consumer: consumerShape(consumer) };
};

import { consumerDescription } from '../../fanout/shapes.js';
import type { KinesisOperation } from './deps.js';

interface DescribeStreamConsumerInput {
  StreamARN?: string;
  ConsumerName?: string;
  ConsumerARN?: string;
}

export const describeStreamConsumer: KinesisOperation = ({ fanout, streams }) => async (input: DescribeStreamConsumerInput) => {
  const consumer = fanout.consumers.resolve(input);
  return { ConsumerDescription: consumerDescription(consumer, streams.arnOf(consumer.streamName)) };
};

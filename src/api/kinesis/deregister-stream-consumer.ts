import type { KinesisOperation } from './deps.js';

interface DeregisterStreamConsumerInput {
  StreamARN?: string;
  ConsumerName?: string;
  ConsumerARN?: string;
}

/** The consumer shows DELETING, its subscriptions end, and it is gone after the deletion delay. */
export const deregisterStreamConsumer: KinesisOperation = ({ fanout }) => async (input: DeregisterStreamConsumerInput) => {
  await fanout.consumers.deregister(input);
  return {};
};

/** The Consumer and ConsumerDescription output shapes. */
import type { ConsumerMeta } from './consumer-service.js';

export interface ConsumerShape {
  readonly ConsumerName: string;
  readonly ConsumerARN: string;
  readonly ConsumerStatus: string;
  readonly ConsumerCreationTimestamp: Date;
}

export function consumerShape(consumer: ConsumerMeta): ConsumerShape {
  return {
    ConsumerName: consumer.name,
    ConsumerARN: consumer.arn,
    ConsumerStatus: consumer.status,
    ConsumerCreationTimestamp: new Date(consumer.createdAtMs),
  };
}

export function consumerDescription(consumer: ConsumerMeta, streamArn: string): ConsumerShape & { StreamARN: string } {
  return { ...consumerShape(consumer), StreamARN: streamArn };
}

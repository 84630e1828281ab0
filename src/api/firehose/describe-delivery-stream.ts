import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function describeDeliveryStream(service: FirehoseService): OperationHandler {
  return (input: { DeliveryStreamName: string; Limit?: number; ExclusiveStartDestinationId?: string }) => ({
    DeliveryStreamDescription: service.describe(input.DeliveryStreamName, input.Limit, input.ExclusiveStartDestinationId),
  });
}

import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function createDeliveryStream(service: FirehoseService): OperationHandler {
  return async (input) => ({ DeliveryStreamARN: await service.create(input) });
}

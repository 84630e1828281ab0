import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function stopDeliveryStreamEncryption(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string }) => {
    await service.stopEncryption(input.DeliveryStreamName);
    return {};
  };
}

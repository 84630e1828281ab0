import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

/** `AllowForceDelete` only matters for failed KMS grants, which Runnel never has. */
export function deleteDeliveryStream(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string }) => {
    await service.delete(input.DeliveryStreamName);
    return {};
  };
}

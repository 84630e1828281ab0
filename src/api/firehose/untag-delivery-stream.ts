import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function untagDeliveryStream(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; TagKeys: string[] }) => {
    await service.untag(input.DeliveryStreamName, input.TagKeys);
    return {};
  };
}

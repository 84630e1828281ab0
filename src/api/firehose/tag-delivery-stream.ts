import type { FirehoseService, Tag } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function tagDeliveryStream(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; Tags: Tag[] }) => {
    await service.tag(input.DeliveryStreamName, input.Tags);
    return {};
  };
}

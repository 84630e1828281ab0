import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function listTagsForDeliveryStream(service: FirehoseService): OperationHandler {
  return (input: { DeliveryStreamName: string; ExclusiveStartTagKey?: string; Limit?: number }) => {
    const { tags, hasMore } = service.listTags(input.DeliveryStreamName, input.ExclusiveStartTagKey, input.Limit);
    return { Tags: tags, HasMoreTags: hasMore };
  };
}

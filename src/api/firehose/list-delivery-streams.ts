import type { DeliveryStreamType, FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function listDeliveryStreams(service: FirehoseService): OperationHandler {
  return (input: { Limit?: number; DeliveryStreamType?: DeliveryStreamType; ExclusiveStartDeliveryStreamName?: string }) => {
    const { names, hasMore } = service.list(input.Limit, input.DeliveryStreamType, input.ExclusiveStartDeliveryStreamName);
    return { DeliveryStreamNames: names, HasMoreDeliveryStreams: hasMore };
  };
}

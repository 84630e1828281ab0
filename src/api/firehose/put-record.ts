import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function putRecord(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; Record: { Data: Uint8Array } }) => {
    const { recordIds, encrypted } = await service.put(input.DeliveryStreamName, [input.Record.Data]);
    return { RecordId: recordIds[0], Encrypted: encrypted };
  };
}

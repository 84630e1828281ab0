import { ServiceUnavailableException } from '../../errors/firehose.js';
import { THROTTLED_MESSAGE, type FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function putRecord(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; Record: { Data: Uint8Array } }) => {
    const { results, encrypted } = await service.put(input.DeliveryStreamName, [input.Record.Data]);
    if (results[0] === undefined) throw new ServiceUnavailableException(THROTTLED_MESSAGE);
    return { RecordId: results[0], Encrypted: encrypted };
  };
}

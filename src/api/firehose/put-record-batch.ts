import { InvalidArgumentException } from '../../errors/firehose.js';
import { THROTTLED_MESSAGE, type FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

/** The whole batch's data may not exceed 4 MiB (the 500-record and per-record limits are model
 * constraints, checked before the handler runs). Records over the delivery stream's quota fail
 * one by one, as AWS answers throttled entries; the call itself succeeds. */
export const PUT_RECORD_BATCH_BYTES_MAX = 4 * 1024 * 1024;

export function putRecordBatch(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; Records: Array<{ Data: Uint8Array }> }) => {
    const data = input.Records.map((record) => record.Data);
    if (data.reduce((sum, item) => sum + item.byteLength, 0) > PUT_RECORD_BATCH_BYTES_MAX) {
      throw new InvalidArgumentException('Records size exceeds 4 MB limit');
    }
    const { results, encrypted } = await service.put(input.DeliveryStreamName, data);
    return {
      FailedPutCount: results.filter((id) => id === undefined).length,
      Encrypted: encrypted,
      RequestResponses: results.map((RecordId) => (RecordId === undefined
        ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: THROTTLED_MESSAGE }
        : { RecordId })),
    };
  };
}

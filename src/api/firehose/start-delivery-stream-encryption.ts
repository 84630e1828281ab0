import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function startDeliveryStreamEncryption(service: FirehoseService): OperationHandler {
  return async (input: { DeliveryStreamName: string; DeliveryStreamEncryptionConfigurationInput?: { KeyType: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK'; KeyARN?: string } }) => {
    await service.startEncryption(input.DeliveryStreamName, input.DeliveryStreamEncryptionConfigurationInput);
    return {};
  };
}

import type { FirehoseService } from '../../firehose/service.js';
import type { OperationHandler } from '../operation.js';

export function updateDestination(service: FirehoseService): OperationHandler {
  return async (input) => {
    await service.updateDestination(input);
    return {};
  };
}

import { InvalidArgumentException } from '../../errors/kinesis.js';
import { streamNotActive } from '../../streams/messages.js';
import { checkRetentionBounds } from './retention.js';
import type { KinesisOperation } from './deps.js';

interface IncreaseStreamRetentionPeriodInput {
  StreamName?: string;
  StreamARN?: string;
  RetentionPeriodHours: number;
}

export const increaseStreamRetentionPeriod: KinesisOperation = ({ streams }) => async (input: IncreaseStreamRetentionPeriodInput) => {
  const stream = streams.resolve(input);
  const hours = input.RetentionPeriodHours;
  checkRetentionBounds(hours);
  await streams.mutate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE' && meta.status !== 'UPDATING') throw streamNotActive(meta.name, streams.accountId, meta.status);
    if (hours < meta.retentionHours) {
      throw new InvalidArgumentException(
        `Requested retention period (${hours} hours) for stream ${meta.name} can not be shorter than existing retention period (${meta.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
      );
    }
    return hours === meta.retentionHours ? meta : { ...meta, retentionHours: hours };
  });
  return {};
};

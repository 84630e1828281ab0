import { InvalidArgumentException } from '../../errors/kinesis.js';
import { streamNotActive } from '../../streams/messages.js';
import { checkRetentionBounds } from './retention.js';
import type { KinesisOperation } from './deps.js';

interface DecreaseStreamRetentionPeriodInput {
  StreamName?: string;
  StreamARN?: string;
  RetentionPeriodHours: number;
}

/** Lowering retention takes effect at once: a retention pass for the stream runs before the
 * call returns. */
export const decreaseStreamRetentionPeriod: KinesisOperation = ({ streams }) => async (input: DecreaseStreamRetentionPeriodInput) => {
  const stream = streams.resolve(input);
  const hours = input.RetentionPeriodHours;
  checkRetentionBounds(hours);
  await streams.mutate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE' && meta.status !== 'UPDATING') throw streamNotActive(meta.name, streams.accountId, meta.status);
    if (hours > meta.retentionHours) {
      throw new InvalidArgumentException(
        `Requested retention period (${hours} hours) for stream ${meta.name} can not be longer than existing retention period (${meta.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
      );
    }
    return hours === meta.retentionHours ? meta : { ...meta, retentionHours: hours };
  });
  await streams.applyRetention(stream.name);
  return {};
};

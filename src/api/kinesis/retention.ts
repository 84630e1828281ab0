/** Rules shared by Increase/DecreaseStreamRetentionPeriod. */
import { kinesisLimits } from '../../domain/limits.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';

export function checkRetentionBounds(hours: number): void {
  if (hours < kinesisLimits.retentionHoursMin) {
    throw new InvalidArgumentException(
      `Minimum allowed retention period is ${kinesisLimits.retentionHoursMin} hours. Requested retention period (${hours} hours) is too short.`,
    );
  }
  if (hours > kinesisLimits.retentionHoursMax) {
    throw new InvalidArgumentException(
      `Maximum allowed retention period is ${kinesisLimits.retentionHoursMax} hours. Requested retention period (${hours} hours) is too long.`,
    );
  }
}

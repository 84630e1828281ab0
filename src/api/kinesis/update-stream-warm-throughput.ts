import { ValidationException } from '../../errors/common.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import { streamNotActive } from '../../streams/messages.js';
import { accountSettingsOf } from './describe-account-settings.js';
import type { KinesisOperation } from './deps.js';

interface UpdateStreamWarmThroughputInput {
  StreamName?: string;
  StreamARN?: string;
  WarmThroughputMiBps: number;
}

/** AWS caps warm throughput at 10 GiB/s. */
export const warmThroughputMiBpsMax = 10_240;

/**
 * Sets the warm throughput of an ON_DEMAND stream (its scaling floor, see on-demand scaling).
 * Needs the account's minimum throughput billing commitment ENABLED. The stream shows UPDATING.
 */
export const updateStreamWarmThroughput: KinesisOperation = (deps) => async (input: UpdateStreamWarmThroughputInput) => {
  const { streams, controlPlane } = deps;
  const stream = streams.resolve(input);
  if (stream.meta.mode !== 'ON_DEMAND') {
    throw new ValidationException(`Warm throughput can only be set on streams in ON_DEMAND capacity mode. Stream ${stream.name} under account ${streams.accountId} is PROVISIONED.`);
  }
  const settings = await accountSettingsOf(controlPlane.meta);
  if (settings.status === 'DISABLED') {
    throw new ValidationException('Warm throughput requires the account setting MinimumThroughputBillingCommitment to be ENABLED.');
  }
  if (input.WarmThroughputMiBps > warmThroughputMiBpsMax) {
    throw new InvalidArgumentException(`WarmThroughputMiBps ${input.WarmThroughputMiBps} exceeds the maximum of ${warmThroughputMiBpsMax} MiBps.`);
  }
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  const current = stream.meta.warmThroughputMiBps ?? 0;
  const updated = await streams.mutateWithUpdate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE') throw streamNotActive(meta.name, streams.accountId, meta.status);
    return { ...meta, warmThroughputMiBps: input.WarmThroughputMiBps };
  });
  return {
    StreamARN: updated.arn,
    StreamName: updated.name,
    WarmThroughput: { TargetMiBps: input.WarmThroughputMiBps, CurrentMiBps: current },
  };
};

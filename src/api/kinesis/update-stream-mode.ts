import type { StreamMode } from '../../domain/stream.js';
import { onDemandStreamLimitExceeded, streamNotActive } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

interface UpdateStreamModeInput {
  StreamARN: string;
  StreamModeDetails: { StreamMode: StreamMode };
  WarmThroughputMiBps?: number;
}

/** Switches the capacity mode. Scaling an on-demand stream's shards is not part of the switch. */
export const updateStreamMode: KinesisOperation = ({ streams, clock }) => async (input: UpdateStreamModeInput) => {
  const stream = streams.resolve(input);
  const mode = input.StreamModeDetails.StreamMode;
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  if (mode === 'ON_DEMAND' && stream.meta.mode !== 'ON_DEMAND' && streams.onDemandStreamCount() >= streams.onDemandStreamCountLimit) {
    throw onDemandStreamLimitExceeded(streams.accountId, streams.region, streams.onDemandStreamCount(), streams.onDemandStreamCountLimit);
  }
  await streams.mutateWithUpdate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE') throw streamNotActive(meta.name, streams.accountId, meta.status);
    return {
      ...meta,
      mode,
      modeChangedAtMs: clock.now(),
      ...(input.WarmThroughputMiBps !== undefined ? { warmThroughputMiBps: input.WarmThroughputMiBps } : {}),
    };
  });
  return {};
};

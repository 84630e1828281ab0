import { streamNotActive } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

interface UpdateMaxRecordSizeInput {
  StreamARN?: string;
  StreamName?: string;
  MaxRecordSizeInKiB: number;
}

export const updateMaxRecordSize: KinesisOperation = ({ streams }) => async (input: UpdateMaxRecordSizeInput) => {
  const stream = streams.resolve(input);
  if (stream.status !== 'ACTIVE') throw streamNotActive(stream.name, streams.accountId, stream.status);
  await streams.mutateWithUpdate(stream.name, (meta) => {
    if (meta.status !== 'ACTIVE') throw streamNotActive(meta.name, streams.accountId, meta.status);
    return { ...meta, maxRecordSizeKiB: input.MaxRecordSizeInKiB };
  });
  return {};
};

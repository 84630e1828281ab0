import { streamNotActive } from '../../streams/messages.js';
import type { KinesisOperation } from './deps.js';

interface DeleteStreamInput {
  StreamName?: string;
  StreamARN?: string;
  EnforceConsumerDeletion?: boolean;
}

export const deleteStream: KinesisOperation = ({ streams }) => async (input: DeleteStreamInput) => {
  const stream = streams.resolve(input);
  if (stream.status === 'CREATING') throw streamNotActive(stream.name, streams.accountId, stream.status);
  await streams.delete(stream.name, input.EnforceConsumerDeletion ?? false);
  return {};
};

import { ResourceInUseException } from '../../errors/kinesis.js';
import type { KinesisOperation } from './deps.js';
import { checkStreamsInTransition } from './streams-in-transition.js';

interface DeleteStreamInput {
  StreamName?: string;
  StreamARN?: string;
  EnforceConsumerDeletion?: boolean;
}

export const deleteStream: KinesisOperation = ({ streams }) => async (input: DeleteStreamInput) => {
  const stream = streams.resolve(input);
  if (stream.status === 'CREATING') {
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Stream is being created: ${stream.name}`);
  }
  if (stream.status !== 'DELETING') checkStreamsInTransition(streams);
  await streams.delete(stream.name, input.EnforceConsumerDeletion ?? false);
  return {};
};

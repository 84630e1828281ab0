import { addTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface AddTagsToStreamInput {
  StreamName?: string;
  StreamARN?: string;
  Tags: Record<string, string>;
}

export const addTagsToStream: KinesisOperation = ({ streams }) => async (input: AddTagsToStreamInput) => {
  await addTags(streams, streams.resolve(input), input.Tags);
  return {};
};

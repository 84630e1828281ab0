import { removeTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface RemoveTagsFromStreamInput {
  StreamName?: string;
  StreamARN?: string;
  TagKeys: string[];
}

export const removeTagsFromStream: KinesisOperation = ({ streams }) => async (input: RemoveTagsFromStreamInput) => {
  await removeTags(streams, streams.resolve(input), input.TagKeys);
  return {};
};

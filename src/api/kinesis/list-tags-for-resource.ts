import { resolveTaggable, sortedTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface ListTagsForResourceInput {
  ResourceARN: string;
}

export const listTagsForResource: KinesisOperation = ({ streams }) => async (input: ListTagsForResourceInput) => {
  const target = resolveTaggable(streams, input.ResourceARN);
  if (target.kind === 'stream') return { Tags: sortedTags(target.stream.meta.tags) };
  return { Tags: sortedTags(target.resource.tags()) };
};

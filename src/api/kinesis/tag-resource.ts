import { addTags, resolveTaggable } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface TagResourceInput {
  ResourceARN: string;
  Tags: Record<string, string>;
}

export const tagResource: KinesisOperation = ({ streams }) => async (input: TagResourceInput) => {
  const target = resolveTaggable(streams, input.ResourceARN);
  if (target.kind === 'stream') await addTags(streams, target.stream, input.Tags);
  else await target.resource.addTags(input.Tags);
  return {};
};

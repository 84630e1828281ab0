import { removeTags, resolveTaggable } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface UntagResourceInput {
  ResourceARN: string;
  TagKeys: string[];
}

export const untagResource: KinesisOperation = ({ streams }) => async (input: UntagResourceInput) => {
  const target = resolveTaggable(streams, input.ResourceARN);
  if (target.kind === 'stream') await removeTags(streams, target.stream, input.TagKeys);
  else await target.resource.removeTags(input.TagKeys);
  return {};
};

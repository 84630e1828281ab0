import { kinesisLimits } from '../../domain/limits.js';
import { sortedTags } from './tags.js';
import type { KinesisOperation } from './deps.js';

interface ListTagsForStreamInput {
  StreamName?: string;
  StreamARN?: string;
  ExclusiveStartTagKey?: string;
  Limit?: number;
}

export const listTagsForStream: KinesisOperation = ({ streams }) => async (input: ListTagsForStreamInput) => {
  const stream = streams.resolve(input);
  const after = input.ExclusiveStartTagKey;
  const remaining = sortedTags(stream.meta.tags).filter((tag) => after === undefined || tag.Key > after);
  const page = remaining.slice(0, input.Limit ?? kinesisLimits.listTagsDefault);
  return { Tags: page, HasMoreTags: remaining.length > page.length };
};

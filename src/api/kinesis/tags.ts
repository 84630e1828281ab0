/** Tag rules shared by CreateStream, AddTagsToStream and TagResource. */
import { kinesisLimits } from '../../domain/limits.js';
import type { StreamView } from '../../domain/stream.js';
import { InvalidArgumentException } from '../../errors/kinesis.js';
import type { StreamService } from '../../streams/stream-service.js';

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@%]*$/u;

export function validateTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) {
    if (!TAG_CHARACTERS.test(key) || !TAG_CHARACTERS.test(value)) {
      throw new InvalidArgumentException('Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
    }
  }
}

/** Adds or overwrites tags; refuses to go past the per-stream tag limit. */
export async function addTags(streams: StreamService, stream: StreamView, tags: Readonly<Record<string, string>>): Promise<void> {
  validateTags(tags);
  await streams.mutate(stream.name, (meta) => {
    const next = { ...meta.tags, ...tags };
    if (Object.keys(next).length > kinesisLimits.tagsPerStreamMax) {
      throw new InvalidArgumentException(
        `Failed to add tags to stream ${meta.name} under account ${streams.accountId} because a given stream cannot have more than ${kinesisLimits.tagsPerStreamMax} tags associated with it.`,
      );
    }
    return { ...meta, tags: next };
  });
}

export async function removeTags(streams: StreamService, stream: StreamView, keys: readonly string[]): Promise<void> {
  await streams.mutate(stream.name, (meta) => {
    const next = { ...meta.tags };
    for (const key of keys) delete next[key];
    return { ...meta, tags: next };
  });
}

/** Tags ordered by key, as AWS lists them. */
export function sortedTags(stream: StreamView): { Key: string; Value: string }[] {
  return Object.keys(stream.meta.tags).sort().map((Key) => ({ Key, Value: stream.meta.tags[Key]! }));
}

/** Tag rules shared by CreateStream, AddTagsToStream and TagResource. */
import { kinesisLimits } from '../../domain/limits.js';
import type { StreamView } from '../../domain/stream.js';
import { parseStreamArn } from '../../domain/arn.js';
import { InvalidArgumentException, ResourceNotFoundException } from '../../errors/kinesis.js';
import type { StreamService, TaggableResource } from '../../streams/stream-service.js';

const TAG_CHARACTERS = /^[\p{L}\p{N}\s_.:/=+\-@%]*$/u;

export function validateTags(tags: Readonly<Record<string, string>>, streamName: string, accountId: string): void {
  const texts = [...Object.keys(tags), ...Object.values(tags)];
  if (texts.some((text) => !TAG_CHARACTERS.test(text))) {
    throw new InvalidArgumentException('Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.');
  }
  // AWS lists % as valid in the message above yet refuses it in a second check.
  if (texts.some((text) => text.includes('%'))) {
    throw new InvalidArgumentException(
      `Failed to add tags to stream ${streamName} under account ${accountId} because some tags contained illegal characters. ` +
      "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.",
    );
  }
}

/** CreateStream's tags: the same rules as adding them to an untagged stream. */
export function validateNewStreamTags(tags: Readonly<Record<string, string>>, streamName: string, accountId: string): void {
  validateTags(tags, streamName, accountId);
  if (Object.keys(tags).length > kinesisLimits.tagsPerStreamMax) throw tooManyTags(streamName, accountId);
}

function tooManyTags(streamName: string, accountId: string): InvalidArgumentException {
  return new InvalidArgumentException(
    `Failed to add tags to stream ${streamName} under account ${accountId} because a given stream cannot have more than 10 tags associated with it.`,
  );
}

/** Adds or overwrites tags; refuses to go past the per-stream tag limit (50, though AWS's
 * message still says 10). */
export async function addTags(streams: StreamService, stream: StreamView, tags: Readonly<Record<string, string>>): Promise<void> {
  validateTags(tags, stream.name, streams.accountId);
  await streams.mutate(stream.name, (meta) => {
    const next = { ...meta.tags, ...tags };
    if (Object.keys(next).length > kinesisLimits.tagsPerStreamMax) throw tooManyTags(meta.name, streams.accountId);
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
export function sortedTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags).sort().map((Key) => ({ Key, Value: tags[Key]! }));
}

export type TagTarget =
  | { readonly kind: 'stream'; readonly stream: StreamView }
  | { readonly kind: 'other'; readonly resource: TaggableResource };

/** The stream a ResourceARN names, or a resource an extension owns (consumers). */
export function resolveTaggable(streams: StreamService, arn: string): TagTarget {
  const parsed = parseStreamArn(arn);
  if (parsed) return { kind: 'stream', stream: streams.resolve({ StreamARN: arn }) };
  const resource = streams.taggableResource(arn);
  if (resource) return { kind: 'other', resource };
  throw new ResourceNotFoundException(`Resource ${arn} not found.`);
}

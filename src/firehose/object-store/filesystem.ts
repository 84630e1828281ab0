/**
 * The embedded S3 stand-in: bucket `b`, key `k` is the plain file `<root>/b/k`.
 *
 * An object is written to `<root>/.incoming/` first, fsynced, then renamed into place, so a reader
 * listing the bucket never sees half an object, and a crash leaves at worst a stray temp file,
 * removed when the store is next opened.
 * Keys are checked so that no key can leave its bucket directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { ObjectStore, PutObjectInput } from './types.js';

const INCOMING_DIR = '.incoming';

export class FileSystemObjectStore implements ObjectStore {
  readonly location: string;

  private constructor(private readonly root: string, private readonly removeOnClose: boolean, private readonly incomingDir: string) {
    this.location = pathToFileURL(root).href;
  }

  /** Opens the store at `root`, removing temp files a crash may have left behind. Two stores
   * sharing a root (Firehose and channels) each need their own `incomingDir`, so that opening one
   * never removes the other's objects in flight. */
  static async open(root: string, options: { removeOnClose?: boolean; incomingDir?: string } = {}): Promise<FileSystemObjectStore> {
    const incomingDir = options.incomingDir ?? INCOMING_DIR;
    await rm(join(root, incomingDir), { recursive: true, force: true });
    return new FileSystemObjectStore(root, options.removeOnClose ?? false, incomingDir);
  }

  unstorableKeyReason(key: string): string | undefined {
    const segment = key.split('/').find(isUnstorableSegment);
    return segment === undefined
      ? undefined
      : `the embedded file store keeps each object as a file <data-dir>/s3/<bucket>/<key> and cannot hold a key with an empty, '.' or '..' path segment (${JSON.stringify(key)})`;
  }

  async putObject(input: PutObjectInput): Promise<void> {
    const target = join(this.root, safeSegment(input.bucket), ...input.key.split('/').map(safeSegment));
    const incoming = join(this.root, this.incomingDir);
    await mkdir(incoming, { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    const temp = join(incoming, randomUUID());
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(input.body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }

  async close(): Promise<void> {
    if (this.removeOnClose) await rm(this.root, { recursive: true, force: true });
  }
}

function isUnstorableSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..';
}

function safeSegment(segment: string): string {
  if (isUnstorableSegment(segment)) {
    throw new Error(`object key segment ${JSON.stringify(segment)} cannot be stored as a file`);
  }
  return segment;
}

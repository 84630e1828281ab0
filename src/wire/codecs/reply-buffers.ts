/**
 * Buffers for large reply bodies (a GetRecords reply is up to ~14 MB of JSON), reused from one
 * reply to the next. A fresh buffer of that size per reply is a new mapping whose every page
 * faults on first write, and external memory that makes the garbage collector run more often;
 * measured, that was a fifth of the encoding cost of a 10,000-record reply.
 *
 * A buffer goes back to the pool only through `releaseReplyBuffer`, which the pipeline calls once
 * the reply that carried it has been handed to the operating system. A buffer that is never
 * released (a reply to a client that went away, an event-stream payload) is simply collected.
 */

/** Below this a buffer comes from Node's allocator as usual. */
const POOLED_BYTES_MIN = 256 * 1024;
/** The most the pool keeps while idle, in bytes. */
const POOL_BYTES_MAX = 64 * 1024 * 1024;
/** The pool empties when no buffer was taken for this long: memory is not held for a burst long past. */
const IDLE_MS = 10_000;

const pool: Buffer[] = [];
let pooledBytes = 0;
/** Backing stores handed out by `acquireReplyBuffer` and not released since. */
const handedOut = new WeakSet<ArrayBufferLike>();
let idleTimer: NodeJS.Timeout | undefined;

function emptyWhenIdle(): void {
  if (idleTimer !== undefined) {
    idleTimer.refresh();
    return;
  }
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    pool.length = 0;
    pooledBytes = 0;
  }, IDLE_MS);
  idleTimer.unref();
}

/** A buffer of at least `bytes`, with arbitrary contents. */
export function acquireReplyBuffer(bytes: number): Buffer {
  if (bytes < POOLED_BYTES_MIN) return Buffer.allocUnsafe(bytes);
  emptyWhenIdle();
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    if (pool[i]!.length >= bytes && (best === -1 || pool[i]!.length < pool[best]!.length)) best = i;
  }
  let buffer: Buffer;
  if (best === -1) {
    // Rounded up to a power of two, so replies of similar size reuse each other's buffers.
    buffer = Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(bytes)));
  } else {
    buffer = pool[best]!;
    pool[best] = pool[pool.length - 1]!;
    pool.pop();
    pooledBytes -= buffer.length;
  }
  handedOut.add(buffer.buffer);
  return buffer;
}

/**
 * Gives back the buffer `body` (or a view of it) was written into, once nothing reads `body` any
 * more. Anything not from `acquireReplyBuffer`, or already released, is ignored.
 */
export function releaseReplyBuffer(body: Uint8Array): void {
  const store = body.buffer;
  if (!handedOut.has(store)) return;
  handedOut.delete(store);
  if (pooledBytes + store.byteLength > POOL_BYTES_MAX) return;
  pool.push(Buffer.from(store));
  pooledBytes += store.byteLength;
}

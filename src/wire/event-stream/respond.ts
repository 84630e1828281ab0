/**
 * Writes an operation's EventStreamOutput as an `application/vnd.amazon.eventstream` response:
 * status 200, the `initial-response` event, then one frame per message until the events end, an
 * exception is sent, or the client goes away (`signal`).
 *
 * HTTP/2 (the JS SDK v3 default, the Java SDK v2) gets a DATA frame per message; HTTP/1.1
 * (boto3) gets a chunked body. Either way a frame is written only after the previous one was
 * accepted by the transport (`drain`), so a slow reader holds at most one frame here and the
 * producer, which is pulled, reads no further ahead.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import { once } from 'node:events';
import { isAwsError } from '../../errors/aws-error.js';
import { InternalFailure } from '../../errors/common.js';
import type { EventStreamMessage, EventStreamOutput, WireProtocol } from '../../api/operation.js';
import type { Logger } from '../../server/logger.js';
import type { Codec } from '../codecs/codec.js';
import { codecForProtocol } from '../codecs/index.js';
import { eventFrame, exceptionFrame, INITIAL_RESPONSE_EVENT_TYPE, messageFrame } from './kinesis-frames.js';
import { encodeFrame } from './message.js';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export type EventStreamTarget =
  | { readonly kind: 'h2'; readonly stream: http2.ServerHttp2Stream }
  | { readonly kind: 'h1'; readonly res: http.ServerResponse };

export interface WriteEventStreamOptions {
  /** Extra response headers, e.g. `x-amzn-RequestId`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly log?: Logger;
}

/** Resolves once the response has ended (normally, after an exception, or because the client left).
 * Never rejects: transport failures end the response. */
export async function writeEventStream(
  target: EventStreamTarget,
  output: EventStreamOutput,
  protocol: WireProtocol,
  signal: AbortSignal,
  options: WriteEventStreamOptions = {},
): Promise<void> {
  const codec = codecForProtocol(protocol);
  const sink = target.kind === 'h2' ? new Http2Sink(target.stream) : new Http1Sink(target.res);
  sink.start({ 'content-type': EVENT_STREAM_CONTENT_TYPE, ...options.headers });
  const iterator = output.events[Symbol.asyncIterator]();
  const aborted = abortPromise(signal, sink);
  let finished = false;
  try {
    if (!(await sink.write(encodeFrame(eventFrame(INITIAL_RESPONSE_EVENT_TYPE, output.initialResponse ?? {}, codec))))) return;
    for (;;) {
      const next = await aborted.race(iterator.next());
      if (next === ABORTED || next.done) {
        finished = next !== ABORTED;
        break;
      }
      const message: EventStreamMessage = next.value;
      if (!(await sink.write(encodedMessage(message, codec)))) break;
      if (message.kind === 'exception') break;
    }
  } catch (err) {
    if (!sink.closed) {
      const error = isAwsError(err) ? err : new InternalFailure(err);
      if (!isAwsError(err)) options.log?.error('event stream producer failed', { error: String(err) });
      await sink.write(encodeFrame(exceptionFrame(error, codec)));
    }
    finished = true;
  } finally {
    aborted.dispose();
    if (!finished) iterator.return?.().catch(() => undefined);
    sink.end();
  }
}

/**
 * Producers may hand the same message object to many streams (fan-out consumers of one shard at
 * the same position); it is encoded once per content type and the bytes are shared.
 */
const encodedMessages = new WeakMap<EventStreamMessage, Map<string, Buffer>>();

function encodedMessage(message: EventStreamMessage, codec: Codec): Buffer {
  let byContentType = encodedMessages.get(message);
  if (!byContentType) {
    byContentType = new Map();
    encodedMessages.set(message, byContentType);
  }
  let bytes = byContentType.get(codec.contentType);
  if (!bytes) {
    bytes = encodeFrame(messageFrame(message, codec));
    byContentType.set(codec.contentType, bytes);
  }
  return bytes;
}

const ABORTED = Symbol('aborted');

/**
 * Races each pull against the client leaving. Not `Promise.race` with one long-lived pending
 * promise: every race would add a reaction to it that keeps that pull's result (the event and its
 * encoded bytes) reachable for as long as the subscription lasts.
 */
function abortPromise(signal: AbortSignal, sink: Sink): { race<T>(pull: Promise<T>): Promise<T | typeof ABORTED>; dispose(): void } {
  let aborted = signal.aborted;
  let onAbortOfPull: (() => void) | undefined;
  const onAbort = () => {
    aborted = true;
    onAbortOfPull?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const unwatch = sink.onClose(onAbort);
  return {
    race: <T>(pull: Promise<T>) => new Promise<T | typeof ABORTED>((resolve, reject) => {
      if (aborted) {
        pull.catch(() => undefined);
        resolve(ABORTED);
        return;
      }
      onAbortOfPull = () => resolve(ABORTED);
      pull.then(resolve, reject).finally(() => { onAbortOfPull = undefined; });
    }),
    dispose: () => { signal.removeEventListener('abort', onAbort); unwatch(); },
  };
}

interface Sink {
  readonly closed: boolean;
  start(headers: Record<string, string>): void;
  /** Resolves true once the transport can take more, false if it closed meanwhile. */
  write(bytes: Buffer): Promise<boolean>;
  onClose(listener: () => void): () => void;
  end(): void;
}

class Http2Sink implements Sink {
  constructor(private readonly stream: http2.ServerHttp2Stream) {}

  get closed(): boolean {
    return this.stream.destroyed || this.stream.closed || this.stream.writableEnded;
  }

  start(headers: Record<string, string>): void {
    if (this.closed) return;
    this.stream.respond({ ':status': 200, ...headers });
  }

  write(bytes: Buffer): Promise<boolean> {
    return writeWithBackPressure(this.stream, bytes, () => this.closed);
  }

  /** Only the stream's own close counts. A client's GOAWAY does not: the JS SDK v3 opens a
   * session per event stream and closes it gracefully (GOAWAY) as soon as the response headers
   * arrive, expecting the open stream to keep flowing. */
  onClose(listener: () => void): () => void {
    this.stream.once('close', listener);
    return () => this.stream.off('close', listener);
  }

  end(): void {
    if (!this.closed) this.stream.end();
  }
}

class Http1Sink implements Sink {
  constructor(private readonly res: http.ServerResponse) {}

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded || this.res.socket === null;
  }

  start(headers: Record<string, string>): void {
    if (this.closed) return;
    this.res.writeHead(200, headers);
    this.res.flushHeaders();
  }

  write(bytes: Buffer): Promise<boolean> {
    return writeWithBackPressure(this.res, bytes, () => this.closed);
  }

  onClose(listener: () => void): () => void {
    this.res.once('close', listener);
    return () => this.res.off('close', listener);
  }

  end(): void {
    if (!this.closed) this.res.end();
  }
}

async function writeWithBackPressure(writable: NodeJS.WritableStream & NodeJS.EventEmitter, bytes: Buffer, isClosed: () => boolean): Promise<boolean> {
  if (isClosed()) return false;
  if (writable.write(bytes)) return true;
  const settled = new AbortController();
  const closed = once(writable, 'close', { signal: settled.signal }).then(() => false);
  const drained = once(writable, 'drain', { signal: settled.signal }).then(() => true);
  // `once` rejects on 'error' (the client is gone) and on our abort (the race is already decided).
  const ready = await Promise.race([drained, closed]).catch(() => false);
  settled.abort();
  return ready && !isClosed();
}

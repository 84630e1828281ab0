import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { eventStreamOutput, type EventStreamMessage, type EventStreamOutput } from '../../src/api/operation.js';
import { ResourceInUseException } from '../../src/errors/kinesis.js';
import { EventStreamDecoder } from '../../src/wire/event-stream/decoder.js';
import { headerValue, type EventStreamFrame } from '../../src/wire/event-stream/message.js';
import { writeEventStream } from '../../src/wire/event-stream/respond.js';

const closers: Array<() => void> = [];
afterEach(() => { while (closers.length > 0) closers.pop()!(); });

/** An HTTP/2 cleartext server whose every request is answered by `makeOutput()`. */
async function h2Server(makeOutput: () => EventStreamOutput, onGoaway?: () => void): Promise<string> {
  const server = http2.createServer();
  if (onGoaway) server.on('session', (session) => session.on('goaway', onGoaway));
  server.on('stream', (stream) => {
    const controller = new AbortController();
    stream.on('close', () => controller.abort());
    void writeEventStream({ kind: 'h2', stream }, makeOutput(), 'json', controller.signal, { headers: { 'x-amzn-requestid': 'req-1' } });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function h1Server(makeOutput: () => EventStreamOutput): Promise<number> {
  const server = http.createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    void writeEventStream({ kind: 'h1', res }, makeOutput(), 'json', controller.signal);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.closeAllConnections());
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

function h2Request(origin: string) {
  const session = http2.connect(origin);
  closers.push(() => session.destroy());
  const stream = session.request({ ':method': 'POST', ':path': '/' });
  stream.end();
  return { session, stream };
}

async function readAll(source: AsyncIterable<Buffer>): Promise<EventStreamFrame[]> {
  const decoder = new EventStreamDecoder();
  const frames: EventStreamFrame[] = [];
  for await (const chunk of source) frames.push(...decoder.push(chunk));
  decoder.end();
  return frames;
}

function describeFrame(frame: EventStreamFrame) {
  return {
    messageType: headerValue(frame, ':message-type'),
    type: headerValue(frame, ':event-type') ?? headerValue(frame, ':exception-type'),
    payload: JSON.parse(Buffer.from(frame.payload).toString('utf8')),
  };
}

async function* events(...messages: EventStreamMessage[]): AsyncGenerator<EventStreamMessage> {
  for (const message of messages) yield message;
}

const recordEvent = (n: number): EventStreamMessage => ({ kind: 'event', eventType: 'SubscribeToShardEvent', payload: { n, Data: Buffer.from([n]), At: new Date(n * 1000) } });

describe('writeEventStream', () => {
  it('answers HTTP/2 with 200, the event-stream content type, initial-response and then each event', async () => {
    const origin = await h2Server(() => eventStreamOutput({}, events(recordEvent(1), recordEvent(2))));
    const { stream } = h2Request(origin);
    const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
    assert.equal(headers[':status'], 200);
    assert.equal(headers['content-type'], 'application/vnd.amazon.eventstream');
    assert.equal(headers['x-amzn-requestid'], 'req-1');
    const frames = (await readAll(stream)).map(describeFrame);
    assert.deepEqual(frames, [
      { messageType: 'event', type: 'initial-response', payload: {} },
      { messageType: 'event', type: 'SubscribeToShardEvent', payload: { n: 1, Data: 'AQ==', At: 1 } },
      { messageType: 'event', type: 'SubscribeToShardEvent', payload: { n: 2, Data: 'Ag==', At: 2 } },
    ]);
  });

  it('keeps streaming after the client closes its HTTP/2 session gracefully (GOAWAY), as the JS SDK does', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    async function* afterGoaway(): AsyncGenerator<EventStreamMessage> {
      await released;
      yield recordEvent(7);
    }
    const origin = await h2Server(() => eventStreamOutput({}, afterGoaway()), () => release());
    const { session, stream } = h2Request(origin);
    await once(stream, 'response');
    session.close();
    const frames = (await readAll(stream)).map(describeFrame);
    assert.deepEqual(frames.map((f) => f.type), ['initial-response', 'SubscribeToShardEvent']);
  });

  it('answers HTTP/1.1 with a chunked body of the same frames', async () => {
    const port = await h1Server(() => eventStreamOutput({}, events(recordEvent(3))));
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/' });
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-type'], 'application/vnd.amazon.eventstream');
    const frames = (await readAll(res)).map(describeFrame);
    assert.deepEqual(frames.map((f) => f.type), ['initial-response', 'SubscribeToShardEvent']);
  });

  it('sends an exception as an exception message, ends the response and pulls no further', async () => {
    let pulledAfterException = false;
    async function* withException(): AsyncGenerator<EventStreamMessage> {
      yield recordEvent(1);
      yield { kind: 'exception', error: new ResourceInUseException('taken over') };
      pulledAfterException = true;
      yield recordEvent(2);
    }
    const origin = await h2Server(() => eventStreamOutput({}, withException()));
    const frames = (await readAll(h2Request(origin).stream)).map(describeFrame);
    assert.deepEqual(frames.slice(1), [
      { messageType: 'event', type: 'SubscribeToShardEvent', payload: { n: 1, Data: 'AQ==', At: 1 } },
      { messageType: 'exception', type: 'ResourceInUseException', payload: { message: 'taken over' } },
    ]);
    assert.equal(pulledAfterException, false);
  });

  it('turns a producer failure into InternalFailureException', async () => {
    async function* failing(): AsyncGenerator<EventStreamMessage> {
      yield recordEvent(1);
      throw new Error('disk on fire');
    }
    const origin = await h2Server(() => eventStreamOutput({}, failing()));
    const frames = (await readAll(h2Request(origin).stream)).map(describeFrame);
    assert.deepEqual(frames.at(-1), { messageType: 'exception', type: 'InternalFailureException', payload: {} });
  });

  it('stops pulling while the client does not read, and resumes when it does', async () => {
    let pulled = 0;
    const frameBytes = 64 * 1024;
    const total = 200;
    async function* large(): AsyncGenerator<EventStreamMessage> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield { kind: 'event', eventType: 'Big', payload: { Data: Buffer.alloc(frameBytes) } };
      }
    }
    const origin = await h2Server(() => eventStreamOutput({}, large()));
    const { stream } = h2Request(origin);
    stream.pause();
    await once(stream, 'response');
    let previous = -1;
    while (pulled !== previous) {
      previous = pulled;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Flow-control windows plus socket buffers hold a bounded number of frames, far from all 200.
    assert.ok(pulled < total / 2, `producer pulled ${pulled} of ${total} frames while nobody read`);
    stream.resume();
    const frames = await readAll(stream);
    assert.equal(frames.length, total + 1);
    assert.equal(pulled, total);
  });

  it('ends the producer when the client cancels the stream', async () => {
    let producerClosed!: () => void;
    const closedPromise = new Promise<void>((resolve) => { producerClosed = resolve; });
    async function* endless(): AsyncGenerator<EventStreamMessage> {
      try {
        for (let n = 0; ; n++) {
          yield recordEvent(n % 256);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        producerClosed();
      }
    }
    const origin = await h2Server(() => eventStreamOutput({}, endless()));
    const { stream } = h2Request(origin);
    const decoder = new EventStreamDecoder();
    for await (const chunk of stream) {
      if (decoder.push(chunk).length > 0) break;
    }
    stream.close(http2.constants.NGHTTP2_CANCEL);
    await closedPromise;
  });
});

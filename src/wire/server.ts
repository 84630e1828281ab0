/**
 * The listeners. One plain TCP port speaks HTTP/1.1 and cleartext HTTP/2 with prior knowledge
 * (h2c): the first bytes of each connection are compared with the HTTP/2 client preface and the
 * socket is handed to the matching Node server. The optional TLS port negotiates h2 or http/1.1
 * by ALPN. All of them feed the same request pipeline.
 */
import type { LatencyMetrics } from '../metrics/index.js';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { ServiceDefinition } from '../api/operation.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import { createPipeline, DEFAULT_MAX_REQUEST_BYTES } from './pipeline.js';
import type { RouteHandler } from './types.js';

export interface TlsMaterial {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface WireServerOptions {
  readonly services: readonly ServiceDefinition[];
  readonly routes?: ReadonlyMap<string, RouteHandler>;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Listen with TLS too, on this port (0 = free port), when `tls` is given. */
  readonly tlsPort?: number | undefined;
  readonly tls?: TlsMaterial | undefined;
  readonly authKeys?: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly maxRequestBytes?: number;
  /** Where request durations are recorded, when given. */
  readonly latency?: LatencyMetrics;
}

export interface WireServer {
  readonly port: number;
  readonly tlsPort: number | undefined;
  /** Stops accepting, lets HTTP/2 clients finish in-flight streams (GOAWAY), then drops what remains. */
  close(): Promise<void>;
}

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** Connections still open this long after close() are destroyed. */
const CLOSE_GRACE_MS = 2000;
/** A connection that sends nothing for this long before its first bytes is dropped. */
const FIRST_BYTES_TIMEOUT_MS = 60_000;

/** Calls `decide` with true (HTTP/2 preface) or false once the first bytes tell. */
function sniffProtocol(socket: net.Socket, decide: (isHttp2: boolean, head: Buffer) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const compared = Math.min(head.length, HTTP2_PREFACE.length);
    const matches = head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    if (matches && head.length < HTTP2_PREFACE.length) return;
    socket.off('data', onData);
    socket.off('timeout', onSilent);
    socket.setTimeout(0);
    socket.pause();
    decide(matches, head);
  };
  const onSilent = () => socket.destroy();
  socket.on('data', onData);
  socket.once('timeout', onSilent);
  socket.setTimeout(FIRST_BYTES_TIMEOUT_MS);
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

export async function createWireServer(options: WireServerOptions): Promise<WireServer> {
  const log = options.log.child({ component: 'wire' });
  const handle = createPipeline({
    services: options.services,
    routes: options.routes ?? new Map(),
    authKeys: options.authKeys ?? new Map(),
    region: options.region,
    accountId: options.accountId,
    log,
    clock: options.clock ?? systemClock,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    ...(options.latency ? { latency: options.latency } : {}),
  });

  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  const trackSession = (session: http2.Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A peer that vanishes mid-session must not crash the process.
    session.on('error', (err) => log.debug('http2 session error', { error: String(err) }));
  };

  const h1 = http.createServer({ keepAliveTimeout: 65_000 }, handle);
  // This server never listens itself (it is handed sockets), but Node only tracks connections —
  // for request/header timeouts and closeIdleConnections() — once 'listening' has fired.
  h1.emit('listening');
  const h2c = http2.createServer({}, handle);
  h2c.on('session', trackSession);

  const plain = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', (err) => log.debug('socket error', { error: String(err) }));
    sniffProtocol(socket, (isHttp2, head) => {
      if (isHttp2) {
        socket.unshift(head);
        h2c.emit('connection', socket);
      } else {
        // The HTTP/1 parser reads the socket handle directly, so already-read bytes are replayed
        // as a data event instead of being unshifted.
        h1.emit('connection', socket);
        socket.emit('data', head);
        socket.resume();
      }
    });
  });

  const port = await listen(plain, options.port, options.host);

  let secure: http2.Http2SecureServer | undefined;
  let tlsPort: number | undefined;
  if (options.tls && options.tlsPort !== undefined) {
    secure = http2.createSecureServer(
      { key: options.tls.key, cert: options.tls.cert, allowHTTP1: true, ALPNProtocols: ['h2', 'http/1.1'] },
      handle,
    );
    secure.on('session', trackSession);
    secure.on('secureConnection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    secure.on('tlsClientError', (err) => log.debug('tls client error', { error: String(err) }));
    try {
      tlsPort = await listen(secure, options.tlsPort, options.host);
    } catch (err) {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
      throw err;
    }
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const stopped = [plain, secure].filter((server): server is net.Server => server !== undefined)
        .map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
      for (const session of sessions) session.close();
      h1.closeIdleConnections();
      const grace = setTimeout(() => {
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
      grace.unref();
      h1.close();
      await Promise.all(stopped);
      clearTimeout(grace);
    })();
    return closing;
  };

  return { port, tlsPort, close };
}

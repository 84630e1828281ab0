/**
 * The request pipeline: an ordered list of named stages, in the order AWS applies its checks.
 * The order is behaviour — it decides which error wins when a request has several faults — and
 * docs/lifecycle.md lists the same stages with the error each one can raise. Keep both in step.
 *
 * A stage either passes (returns nothing), ends the request with a reply, or throws an AwsError,
 * which is written in the request's codec (JSON 1.1 until the content type is known).
 */
import type { LatencyMetrics } from '../metrics/index.js';
import { randomFillSync, randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type http from 'node:http';
import { isEventStreamOutput, type OperationHandler, type RequestContext, type ServiceDefinition } from '../api/operation.js';
import { checkCoercedInput, fastCoerceJsonInput, operationExists, parseInput } from '../api/validation/index.js';
import type { Clock } from '../domain/clock.js';
import { isAwsError, type AwsError } from '../errors/aws-error.js';
import { SerializationException, UnknownOperationException } from '../errors/common.js';
import type { Logger } from '../server/logger.js';
import { cborCodec } from './codecs/cbor.js';
import { codecFor, JSON_CONTENT_TYPE, mediaType, type Codec } from './codecs/index.js';
import { acquireReplyBuffer, releaseReplyBuffer } from './codecs/reply-buffers.js';
import { encodedErrorReply, toAwsError, xmlErrorReply, type WireReply } from './error-response.js';
import { writeEventStream, type EventStreamTarget } from './event-stream/respond.js';
import { readAuth, verifySignature, type AuthInfo } from './sigv4.js';
import { parseTarget, type Target } from './target.js';
import type { RouteHandler } from './types.js';

export type HttpRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type HttpResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface PipelineOptions {
  readonly services: readonly ServiceDefinition[];
  readonly routes: ReadonlyMap<string, RouteHandler>;
  /** Access key → secret; empty = signatures are checked for shape only. */
  readonly authKeys: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly maxRequestBytes: number;
  /** Where request durations are recorded, when given. */
  readonly latency?: LatencyMetrics;
}

/**
 * The largest request body accepted: a PutRecords of 10 MiB of data grows by a third in base64,
 * plus 500 partition keys and JSON punctuation.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const JSON_CODEC = codecFor(JSON_CONTENT_TYPE)!;

const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date';
const CORS_PREFLIGHT_MAX_AGE_SECONDS = '172800';
const NO_SERVICE_MESSAGE = 'Unable to determine service/operation name to be authorized';

const EXTENDED_ID_BYTES = 72;
const EXTENDED_IDS_PER_REFILL = 256;
let extendedIdPool = Buffer.alloc(0);
let extendedIdOffset = 0;

/** `x-amz-id-2`: 72 random bytes in base64, drawn from a pool refilled 256 ids at a time. */
function extendedRequestId(): string {
  if (extendedIdOffset >= extendedIdPool.length) {
    extendedIdPool = randomFillSync(Buffer.allocUnsafe(EXTENDED_ID_BYTES * EXTENDED_IDS_PER_REFILL));
    extendedIdOffset = 0;
  }
  const id = extendedIdPool.toString('base64', extendedIdOffset, extendedIdOffset + EXTENDED_ID_BYTES);
  extendedIdOffset += EXTENDED_ID_BYTES;
  return id;
}

/** The state one request accumulates while it passes the stages. */
interface Exchange {
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  readonly requestId: string;
  readonly signal: AbortSignal;
  /** Headers every reply carries (request id, CORS). */
  readonly headers: Record<string, string>;
  body: Buffer;
  codec: Codec | undefined;
  target: Target | undefined;
  service: ServiceDefinition | undefined;
  handler: OperationHandler | undefined;
  decoded: Record<string, unknown> | undefined;
  /** Set instead of `decoded` when the JSON fast path already coerced the body. */
  coerced: Record<string, unknown> | undefined;
  auth: AuthInfo | undefined;
  input: unknown;
  /** performance.now() when the request's headers had been parsed. */
  readonly arrivedAt: number;
}

/** Marks a request whose response was written by the stage itself (an event stream). */
const RESPONDED = Symbol('responded');
type StageOutcome = WireReply | typeof RESPONDED | undefined;

type Stage = (exchange: Exchange) => StageOutcome | Promise<StageOutcome>;

/** The stages in the order they run; docs/lifecycle.md describes each (a test compares the two). */
export const STAGE_NAMES = [
  'request-size',
  'request-id',
  'cors',
  'method',
  'content-type',
  'target',
  'decode',
  'route',
  'auth-presence',
  'auth-signature',
  'validate',
  'invoke',
] as const;

export type StageName = (typeof STAGE_NAMES)[number];

function header(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function plainReply(status: number, body = '', contentType?: string): WireReply {
  return { status, headers: contentType ? { 'content-type': contentType } : {}, body: Buffer.from(body, 'utf8') };
}

class RequestTooLarge extends Error {}

/** Bodies at least this long with a declared length are read into a reused buffer. */
const POOLED_BODY_BYTES_MIN = 256 * 1024;

/**
 * The request body. A large body with a declared length (a PutRecords of 500 records is ~700 KB)
 * is copied chunk by chunk into a buffer from the reply-buffer pool rather than concatenated into
 * a fresh allocation; the pipeline gives it back once the request is over (JSON requests only:
 * nothing decoded from JSON keeps a view of the body).
 */
function readBody(req: HttpRequest, maxBytes: number): Promise<Buffer> {
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new RequestTooLarge());
  return new Promise((resolve, reject) => {
    let target = Number.isInteger(declared) && declared >= POOLED_BODY_BYTES_MIN ? acquireReplyBuffer(declared) : undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      const offset = total;
      total += chunk.length;
      if (total > maxBytes) {
        cleanup();
        req.resume();
        reject(new RequestTooLarge());
        return;
      }
      if (target !== undefined && total <= target.length) {
        target.set(chunk, offset);
        return;
      }
      if (target !== undefined) {
        // More than declared: collect the rest as chunks.
        chunks.push(target.subarray(0, offset));
        target = undefined;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (target !== undefined) resolve(target.subarray(0, total));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (err: unknown) => { cleanup(); reject(err); };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

export function createPipeline(options: PipelineOptions): (req: HttpRequest, res: HttpResponse) => void {
  const servicesByPrefix = new Map(options.services.map((service) => [service.targetPrefix, service]));

  const stages: Record<StageName, Stage> = {
    'request-size': async (ex) => {
      try {
        ex.body = await readBody(ex.req, options.maxRequestBytes);
      } catch (err) {
        if (err instanceof RequestTooLarge) return plainReply(413);
        throw err;
      }
      return undefined;
    },
    'request-id': (ex) => {
      ex.headers['x-amzn-requestid'] = ex.requestId;
      if (ex.req.method !== 'OPTIONS' || !header(ex.req, 'origin')) ex.headers['x-amz-id-2'] = extendedRequestId();
      return undefined;
    },
    'cors': (ex) => {
      if (!header(ex.req, 'origin')) return undefined;
      ex.headers['access-control-allow-origin'] = '*';
      if (ex.req.method === 'OPTIONS') {
        const requestHeaders = header(ex.req, 'access-control-request-headers');
        const requestMethod = header(ex.req, 'access-control-request-method');
        if (requestHeaders) ex.headers['access-control-allow-headers'] = requestHeaders;
        if (requestMethod) ex.headers['access-control-allow-methods'] = requestMethod;
        ex.headers['access-control-max-age'] = CORS_PREFLIGHT_MAX_AGE_SECONDS;
        return plainReply(200);
      }
      ex.headers['access-control-expose-headers'] = EXPOSED_HEADERS;
      return undefined;
    },
    'method': async (ex) => {
      const method = ex.req.method ?? '';
      if (method === 'GET' || method === 'HEAD') {
        const path = (ex.req.url ?? '/').split('?')[0]!;
        if (path === '/' || path === '/health') return plainReply(200, '{"status":"ok"}\n', 'application/json');
        const route = options.routes.get(path);
        if (route) {
          const { contentType, body } = await route();
          return plainReply(200, body, contentType);
        }
      }
      if (method !== 'POST') return xmlErrorReply('AccessDeniedException', NO_SERVICE_MESSAGE, 403);
      return undefined;
    },
    'content-type': (ex) => {
      ex.target = parseTarget(header(ex.req, 'x-amz-target'));
      ex.codec = codecFor(header(ex.req, 'content-type'));
      if (ex.codec || ex.body.length === 0) return undefined;
      // AWS cannot pick a protocol, so it answers outside of one.
      if (!ex.target) return xmlErrorReply('AccessDeniedException', NO_SERVICE_MESSAGE, 403);
      return xmlErrorReply('UnknownOperationException', undefined, 404);
    },
    'target': (ex) => {
      ex.service = ex.target && servicesByPrefix.get(ex.target.prefix);
      ex.handler = ex.target && ex.service?.operations.get(ex.target.operation);
      return undefined;
    },
    'decode': (ex) => {
      if (ex.body.length === 0) {
        // An empty body of an unknown media type is answered in CBOR, as AWS does.
        if (!ex.codec && mediaType(header(ex.req, 'content-type')) !== JSON_CONTENT_TYPE) ex.codec = cborCodec;
        throw ex.handler ? new SerializationException() : new UnknownOperationException();
      }
      if (ex.handler && ex.codec!.protocol === 'json') {
        ex.coerced = fastCoerceJsonInput(ex.service!.modelName, ex.target!.operation, ex.body);
        if (ex.coerced) return undefined;
      }
      ex.decoded = ex.codec!.decode(ex.body);
      return undefined;
    },
    'route': (ex) => {
      if (ex.handler) return undefined;
      if (ex.service && operationExists(ex.service.modelName, ex.target!.operation)) {
        // AWS has it, Runnel does not (yet): say so in the log; the client sees what AWS would
        // answer for an operation it does not know.
        options.log.warn('operation not implemented', { requestId: ex.requestId, target: header(ex.req, 'x-amz-target') });
      }
      throw new UnknownOperationException();
    },
    'auth-presence': (ex) => {
      ex.auth = readAuth({ url: ex.req.url ?? '/', headers: ex.req.headers });
      return undefined;
    },
    'auth-signature': async (ex) => {
      if (options.authKeys.size === 0) return undefined;
      await verifySignature(
        { method: ex.req.method ?? 'POST', url: ex.req.url ?? '/', headers: ex.req.headers, body: ex.body },
        ex.auth!,
        options.authKeys,
        ex.service!.signingName,
        options.clock.now(),
      );
      return undefined;
    },
    'validate': (ex) => {
      ex.input = ex.coerced
        ? checkCoercedInput(ex.service!.modelName, ex.target!.operation, ex.coerced)
        : parseInput(ex.service!.modelName, ex.target!.operation, ex.decoded, ex.codec!.protocol);
      return undefined;
    },
    'invoke': async (ex) => {
      let requestLog: Logger | undefined;
      const ctx: RequestContext = {
        requestId: ex.requestId,
        service: ex.service!.targetPrefix,
        operation: ex.target!.operation,
        protocol: ex.codec!.protocol,
        accessKeyId: ex.auth?.accessKeyId,
        region: options.region,
        accountId: options.accountId,
        get signal() { return ex.signal; },
        // Most requests never log; build the child logger only for those that do.
        get log() {
          requestLog ??= options.log.child({ requestId: ex.requestId, operation: ex.target!.operation });
          return requestLog;
        },
      };
      const output = await ex.handler!(ex.input, ctx);
      if (isEventStreamOutput(output)) {
        const target: EventStreamTarget =
          ex.res instanceof http2.Http2ServerResponse ? { kind: 'h2', stream: ex.res.stream } : { kind: 'h1', res: ex.res };
        await writeEventStream(target, output, ex.codec!.protocol, ex.signal, { headers: ex.headers, log: ctx.log });
        return RESPONDED;
      }
      const codec = ex.codec!;
      return {
        status: 200,
        headers: { 'content-type': codec.contentType },
        body: output === undefined || output === null ? Buffer.alloc(0) : codec.encode(output),
      };
    },
  };

  const send = (ex: Exchange, reply: WireReply) => {
    const { res } = ex;
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    const headers: Record<string, string | number> = { ...ex.headers, ...reply.headers, 'content-length': reply.body.length };
    // A 413 leaves the unread request body on an HTTP/1.1 connection; close it.
    if (reply.status === 413 && !(res instanceof http2.Http2ServerResponse)) headers['connection'] = 'close';
    res.writeHead(reply.status, headers);
    if (ex.req.method === 'HEAD') {
      res.end();
      releaseReplyBuffer(reply.body);
      return;
    }
    // 'finish': the body has been handed to the operating system, so its buffer can be reused.
    res.once('finish', () => releaseReplyBuffer(reply.body));
    res.end(reply.body);
    if (ex.target && options.latency) options.latency.request(ex.target.operation).observe((performance.now() - ex.arrivedAt) / 1000);
  };

  const fail = (ex: Exchange, thrown: unknown, stage: string) => {
    if (ex.signal.aborted) return;
    const error: AwsError = toAwsError(thrown);
    if (!isAwsError(thrown)) {
      // The client sees a bare InternalFailure; the details go to the log only.
      options.log.error('request failed', {
        requestId: ex.requestId,
        stage,
        target: header(ex.req, 'x-amz-target'),
        error: thrown instanceof Error ? thrown.stack ?? thrown.message : String(thrown),
      });
    }
    send(ex, encodedErrorReply(error, ex.codec ?? JSON_CODEC));
  };

  return (req, res) => {
    // Most requests never look at their signal; the controller is made on first use.
    let controller: AbortController | undefined;
    let clientGone = false;
    // Closed before the reply was complete: the client went away.
    res.once('close', () => {
      if (res.writableEnded) return;
      clientGone = true;
      controller?.abort();
    });
    const ex: Exchange = {
      req,
      res,
      requestId: randomUUID(),
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (clientGone) controller.abort();
        }
        return controller.signal;
      },
      headers: {},
      body: Buffer.alloc(0),
      codec: undefined,
      target: undefined,
      service: undefined,
      handler: undefined,
      decoded: undefined,
      coerced: undefined,
      auth: undefined,
      input: undefined,
      arrivedAt: performance.now(),
    };
    const startedAt = Date.now();
    void (async () => {
      for (const name of STAGE_NAMES) {
        let outcome: StageOutcome;
        try {
          outcome = await stages[name](ex);
        } catch (err) {
          fail(ex, err, name);
          break;
        }
        if (outcome === RESPONDED) break;
        if (outcome) {
          send(ex, outcome);
          break;
        }
      }
      if (ex.codec?.protocol === 'json') releaseReplyBuffer(ex.body);
      options.log.debug('request', {
        requestId: ex.requestId,
        method: req.method,
        target: header(req, 'x-amz-target'),
        status: res.statusCode,
        durationMs: Date.now() - startedAt,
      });
    })().catch((err: unknown) => {
      // Writing the reply itself failed (e.g. a header value Node refuses): drop the exchange
      // rather than let the rejection take the process down.
      options.log.error('reply failed', { requestId: ex.requestId, error: err instanceof Error ? err.stack ?? err.message : String(err) });
      if (res instanceof http2.Http2ServerResponse) res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      else res.destroy();
    });
  };
}

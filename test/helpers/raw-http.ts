/**
 * Hand-built HTTP/1.1 and HTTP/2 requests, for the malformed and edge-case requests SDK clients
 * never send, plus SigV4 signing of such requests.
 */
import http from 'node:http';
import http2 from 'node:http2';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Aborting it drops the request (HTTP/1.1: closes the socket; HTTP/2: resets the stream). */
  readonly signal?: AbortSignal;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON; throws when it is not JSON. */
  json(): any;
}

function response(status: number, headers: http.IncomingHttpHeaders, body: Buffer): RawResponse {
  return { status, headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

export function http1Request(endpoint: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: request.method ?? 'POST',
        headers: { ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}), ...request.headers },
        agent: false,
        ...(request.signal ? { signal: request.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(response(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** One request over a fresh HTTP/2 session (prior knowledge for http://, ALPN for https://). */
export function http2Request(endpoint: string, request: RawRequest, connectOptions: http2.SecureClientSessionOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint, connectOptions);
    session.on('error', reject);
    const stream = session.request({
      ':method': request.method ?? 'POST',
      ':path': request.path ?? '/',
      ...request.headers,
    });
    let status = 0;
    let headers: http.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h as http.IncomingHttpHeaders;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve(response(status, headers, Buffer.concat(chunks)));
    });
    stream.on('error', reject);
    request.signal?.addEventListener('abort', () => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      session.close();
      reject(new Error('aborted'));
    });
    // Node ends GET and HEAD streams itself.
    if (!stream.writableEnded) stream.end(request.body);
  });
}

/** Headers of a well-formed but unverified SigV4 request. */
export const DUMMY_AUTH_HEADERS: Readonly<Record<string, string>> = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000',
  'x-amz-date': '20150830T123600Z',
};

export interface SignOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly service?: string;
  readonly region?: string;
  readonly signingDate?: Date;
}

function signerFor(options: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kinesis',
    sha256: Hash.bind(null, 'sha256'),
  });
}

/** `request` to `url` in the shape @smithy/signature-v4 signs, with `headers`. */
function signable(url: URL, request: RawRequest, headers: Record<string, string>) {
  return {
    method: request.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body: request.body,
  };
}

/** Signs a POST to `endpoint` with SigV4 and returns the headers to send (host included). */
export async function signedHeaders(endpoint: string, request: RawRequest, options: SignOptions): Promise<Record<string, string>> {
  const url = new URL(request.path ?? '/', endpoint);
  const signed = await signerFor(options).sign(
    signable(url, request, { host: url.host, ...request.headers }),
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

/** A SigV4 presigned path (`/?X-Amz-Algorithm=…`) for a POST to `endpoint`. */
export async function presignedPath(endpoint: string, request: RawRequest, options: SignOptions & { expiresIn?: number }): Promise<string> {
  const url = new URL(request.path ?? '/', endpoint);
  const presigned = await signerFor(options).presign(
    signable(url, request, { host: url.host }),
    { ...(options.signingDate ? { signingDate: options.signingDate } : {}), expiresIn: options.expiresIn ?? 300 },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>);
  return `${url.pathname}?${query.toString()}`;
}

/**
 * SigV4 authentication in two steps, as AWS runs them:
 *
 * 1. `readAuth` — presence and shape, always: an `Authorization` header or a presigned query
 *    (`X-Amz-Algorithm` …), never both, with every part AWS requires.
 * 2. `verifySignature` — only when the server has access keys configured: the credential must be
 *    scoped to the service, the key known, the request time within 5 minutes of the server clock,
 *    and the signature recomputed by `@smithy/signature-v4` over the request as received must match.
 */
import { createHash } from 'node:crypto';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../errors/common.js';

export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export interface AuthInfo {
  readonly mode: 'header' | 'query';
  readonly accessKeyId: string;
  /** `<yyyymmdd>/<region>/<service>/aws4_request`, as the client wrote it. */
  readonly scope: readonly string[];
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The request time the client signed, `yyyymmddTHHMMSSZ` or an RFC 1123 `Date` header. */
  readonly requestTime: string;
  /** Presigned requests only: validity in seconds. */
  readonly expiresSeconds: number | undefined;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: HeaderBag;
  readonly body: Buffer;
}

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, at), query: new URLSearchParams(url.slice(at + 1)) };
}

function parseAuthorizationParams(authorization: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of authorization.split(/[, ]/).slice(1)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    params.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  return params;
}

function splitCredential(credential: string): { accessKeyId: string; scope: string[] } {
  const [accessKeyId = '', ...scope] = credential.split('/');
  return { accessKeyId, scope };
}

/** Checks that the request carries a complete SigV4 credential; throws the AWS error otherwise. */
export function readAuth(request: Pick<SignedRequest, 'url' | 'headers'>): AuthInfo {
  const authorization = header(request.headers, 'authorization');
  const { query } = splitUrl(request.url);
  const presigned = query.has('X-Amz-Algorithm');

  if (authorization !== undefined && presigned) {
    throw new InvalidSignatureException("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (authorization === undefined && !presigned) throw new MissingAuthenticationTokenException();

  if (authorization !== undefined) {
    const params = parseAuthorizationParams(authorization);
    let problems = '';
    for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
      if (!params.get(name)) problems += `Authorization header requires '${name}' parameter. `;
    }
    const requestTime = header(request.headers, 'x-amz-date') ?? header(request.headers, 'date');
    if (!requestTime) problems += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (problems) throw new IncompleteSignatureException(`${problems}Authorization=${authorization}`);
    const { accessKeyId, scope } = splitCredential(params.get('Credential')!);
    return {
      mode: 'header',
      accessKeyId,
      scope,
      signedHeaders: params.get('SignedHeaders')!.split(';'),
      signature: params.get('Signature')!,
      requestTime: requestTime!,
      expiresSeconds: undefined,
    };
  }

  let problems = '';
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) problems += `AWS query-string parameters must include '${name}'. `;
  }
  if (problems) throw new IncompleteSignatureException(`${problems}Re-examine the query-string parameters.`);
  const { accessKeyId, scope } = splitCredential(query.get('X-Amz-Credential')!);
  const expires = Number(query.get('X-Amz-Expires') ?? '');
  return {
    mode: 'query',
    accessKeyId,
    scope,
    signedHeaders: query.get('X-Amz-SignedHeaders')!.split(';'),
    signature: query.get('X-Amz-Signature')!,
    requestTime: query.get('X-Amz-Date')!,
    expiresSeconds: Number.isFinite(expires) && expires > 0 ? expires : undefined,
  };
}

/** `20150830T123600Z` or an HTTP date → epoch ms; NaN when unreadable. */
function parseRequestTime(value: string): number {
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (compact) {
    const [, y, mo, d, h, mi, s] = compact.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  }
  return Date.parse(value);
}

function compactTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function checkClockSkew(requestTime: string, nowMs: number): number {
  const signedAt = parseRequestTime(requestTime);
  if (Number.isNaN(signedAt)) {
    throw new IncompleteSignatureException(`Date must be in ISO-8601 'basic format'. Got '${requestTime}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (signedAt < nowMs - MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature expired: ${compactTime(signedAt)} is now earlier than ${compactTime(nowMs - MAX_CLOCK_SKEW_MS)} (${compactTime(nowMs)} - 5 min.)`,
    );
  }
  if (signedAt > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${compactTime(signedAt)} is still later than ${compactTime(nowMs + MAX_CLOCK_SKEW_MS)} (${compactTime(nowMs)} + 5 min.)`,
    );
  }
  return signedAt;
}

function toQueryBag(query: URLSearchParams, omit: string): QueryParameterBag {
  const bag: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    if (key === omit) continue;
    const existing = bag[key];
    bag[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return bag;
}

function decodePath(path: string): string {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    return path;
  }
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The signer costs ~80 ms of CPU to import and only servers with `--auth-keys` ever verify, so
 * it loads on the first verification rather than at start. */
async function loadSigner() {
  const [{ SignatureV4 }, { Hash }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]);
  return { SignatureV4, Hash };
}

/**
 * Recomputes the signature with the configured secret of the request's access key.
 * `signingName` is the service's SigV4 name (`kinesis`, `firehose`).
 */
export async function verifySignature(
  request: SignedRequest,
  auth: AuthInfo,
  keys: ReadonlyMap<string, string>,
  signingName: string,
  nowMs: number,
): Promise<void> {
  const [, region = '', service = '', terminator = ''] = auth.scope;
  if (terminator !== 'aws4_request') {
    throw new IncompleteSignatureException(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `);
  }
  if (service !== signingName) throw new InvalidSignatureException(`Credential should be scoped to correct service: '${signingName}'. `);

  const secretAccessKey = keys.get(auth.accessKeyId);
  if (secretAccessKey === undefined) throw new UnrecognizedClientException();

  const signedAt = checkClockSkew(auth.requestTime, nowMs);
  if (auth.mode === 'query' && auth.expiresSeconds !== undefined && nowMs > signedAt + auth.expiresSeconds * 1000) {
    throw new InvalidSignatureException(SIGNATURE_MISMATCH);
  }

  // The signer trusts a declared payload hash, so hold the declaration to the body received.
  const declaredPayloadHash = header(request.headers, 'x-amz-content-sha256');
  if (declaredPayloadHash !== undefined && declaredPayloadHash !== 'UNSIGNED-PAYLOAD'
    && declaredPayloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw new InvalidSignatureException(SIGNATURE_MISMATCH);
  }

  const { path, query } = splitUrl(request.url);
  const signedNames = new Set(auth.signedHeaders.map((name) => name.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    // HTTP/2 carries the host as the :authority pseudo-header.
    const value = header(request.headers, name) ?? (name === 'host' ? header(request.headers, ':authority') : undefined);
    if (value !== undefined) headers[name] = value;
  }
  const httpRequest: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: headers['host'] ?? '',
    path: decodePath(path),
    query: toQueryBag(query, 'X-Amz-Signature'),
    headers,
    body: request.body,
  };
  const { SignatureV4, Hash } = await loadSigner();
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signingDate = new Date(signedAt);
  const unsignableHeaders = signedNames.has('x-amz-date') ? undefined : new Set(['x-amz-date']);
  let expected: string | undefined;
  if (auth.mode === 'header') {
    const signed = await signer.sign(httpRequest, { signingDate, signableHeaders: signedNames, unsignableHeaders });
    expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization']))?.[1];
  } else {
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders']) {
      delete (httpRequest.query as Record<string, unknown>)[name];
    }
    const presigned = await signer.presign(httpRequest, {
      signingDate,
      expiresIn: auth.expiresSeconds ?? 3600,
      signableHeaders: signedNames,
      unsignableHeaders,
    });
    expected = String(presigned.query?.['X-Amz-Signature']);
  }
  if (expected !== auth.signature) throw new InvalidSignatureException(SIGNATURE_MISMATCH);
}

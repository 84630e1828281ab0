/**
 * One delivery request to an HTTP endpoint destination, following Firehose's contract:
 *
 * - `POST <Url>` with `Content-Type: application/json`, `X-Amz-Firehose-Protocol-Version: 1.0`,
 *   `X-Amz-Firehose-Request-Id` (the same id on every retry of a batch),
 *   `X-Amz-Firehose-Source-Arn`, `X-Amz-Firehose-Access-Key` when configured,
 *   `X-Amz-Firehose-Common-Attributes: {"commonAttributes":{...}}` when configured, and
 *   `Content-Encoding: gzip` with a gzipped body when ContentEncoding is GZIP;
 * - body `{"requestId", "timestamp" (epoch milliseconds), "records": [{"data": base64}]}`;
 * - only a 200 whose body is JSON of at most 1 MiB, sent with a Content-Length and
 *   `Content-Type: application/json`, not encoded, echoing the `requestId` and carrying a numeric
 *   `timestamp`, is a success; anything else is a retriable failure, except 413, which is
 *   permanent. Redirects are not followed.
 *
 * Failures carry the error codes and messages AWS documents for HTTP endpoints (its
 * troubleshooting guide): `HttpEndpoint.DestinationException` "The following response was received
 * from the endpoint destination. <status>: <body>", `HttpEndpoint.InvalidResponseFromDestination`,
 * `HttpEndpoint.ResponseTooLarge`, `HttpEndpoint.RequestTimeout`, `HttpEndpoint.ConnectionFailed`
 * and `HttpEndpoint.ConnectionReset`. The last failure's code and message go into the error
 * records once retries run out.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { HttpEndpointSettings } from './destination.js';
import type { SourceRecord } from './source.js';

const gzipAsync = promisify(gzip);

export const HTTP_REQUEST_TIMEOUT_MS = 3 * 60 * 1000;
export const HTTP_RESPONSE_BYTES_MAX = 1024 * 1024;
export const HTTP_RECORDS_PER_REQUEST_MAX = 10_000;

export type HttpDeliveryResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly permanent: boolean; readonly errorCode: string; readonly message: string };

export interface HttpDeliveryRequest {
  readonly settings: HttpEndpointSettings;
  readonly requestId: string;
  readonly sourceArn: string;
  readonly records: readonly SourceRecord[];
  readonly nowMs: number;
  readonly timeoutMs?: number;
}

export async function sendToHttpEndpoint(request: HttpDeliveryRequest): Promise<HttpDeliveryResult> {
  const { settings } = request;
  const json = JSON.stringify({
    requestId: request.requestId,
    timestamp: request.nowMs,
    records: request.records.map((record) => ({ data: Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64') })),
  });
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Amz-Firehose-Protocol-Version': '1.0',
    'X-Amz-Firehose-Request-Id': request.requestId,
    'X-Amz-Firehose-Source-Arn': request.sourceArn,
  };
  if (settings.EndpointConfiguration.AccessKey !== undefined) headers['X-Amz-Firehose-Access-Key'] = settings.EndpointConfiguration.AccessKey;
  const attributes = settings.RequestConfiguration.CommonAttributes;
  if (attributes && attributes.length > 0) {
    headers['X-Amz-Firehose-Common-Attributes'] = JSON.stringify({
      commonAttributes: Object.fromEntries(attributes.map((attribute) => [attribute.AttributeName, attribute.AttributeValue])),
    });
  }
  let body: Buffer = Buffer.from(json);
  if (settings.RequestConfiguration.ContentEncoding === 'GZIP') {
    body = await gzipAsync(body);
    headers['Content-Encoding'] = 'gzip';
  }

  let response: Response;
  try {
    response = await fetch(settings.EndpointConfiguration.Url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs ?? HTTP_REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    return connectionFailure(err);
  }
  let text: string | undefined;
  try {
    text = await readLimited(response);
  } catch (err) {
    return connectionFailure(err);
  }
  if (response.status === 413) return destinationException(413, text, true);
  if (text === undefined) {
    return failure('HttpEndpoint.ResponseTooLarge', `The response from the endpoint is larger than ${HTTP_RESPONSE_BYTES_MAX} bytes.`);
  }
  if (response.status !== 200) return destinationException(response.status, text, false);
  const invalid = responseProblem(response, text, request.requestId);
  if (invalid) return failure('HttpEndpoint.InvalidResponseFromDestination', `${INVALID_RESPONSE} ${invalid}`);
  return { ok: true };
}

const INVALID_RESPONSE = 'The response received from the specified endpoint is invalid. Contact the owner of the endpoint to resolve the issue.';
/** How much of an endpoint's answer a failure message quotes. */
export const QUOTED_RESPONSE_CHARS_MAX = 1024;

function failure(errorCode: string, message: string, permanent = false): HttpDeliveryResult {
  return { ok: false, permanent, errorCode, message };
}

function quote(text: string): string {
  return text.length > QUOTED_RESPONSE_CHARS_MAX ? text.slice(0, QUOTED_RESPONSE_CHARS_MAX) : text;
}

function destinationException(status: number, text: string | undefined, permanent: boolean): HttpDeliveryResult {
  return failure('HttpEndpoint.DestinationException', `The following response was received from the endpoint destination. ${status}: ${quote(text ?? '')}`, permanent);
}

function connectionFailure(err: unknown): HttpDeliveryResult {
  if ((err as Error).name === 'TimeoutError') {
    return failure('HttpEndpoint.RequestTimeout', `The endpoint did not respond within ${HTTP_REQUEST_TIMEOUT_MS / 1000} seconds.`);
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.message ?? (err as Error).message ?? String(err);
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') {
    return failure('HttpEndpoint.ConnectionReset', `The connection to the endpoint was reset or closed early: ${detail}`);
  }
  return failure('HttpEndpoint.ConnectionFailed', `Could not connect to the endpoint: ${detail}`);
}

async function readLimited(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    // Leaving the loop cancels the rest of the body.
    if (total > HTTP_RESPONSE_BYTES_MAX) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function responseProblem(response: Response, text: string, requestId: string): string | undefined {
  if (response.headers.get('content-length') === null) return 'The response has no Content-Length header.';
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return 'The response body must not be encoded.';
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') return 'The response must have the header Content-Type: application/json.';
  let parsed: { requestId?: unknown; timestamp?: unknown } | undefined;
  try {
    const value: unknown = JSON.parse(text);
    parsed = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed.requestId !== 'string' || typeof parsed.timestamp !== 'number') {
    return `Response for request ${requestId} is not recognized as valid JSON or has unexpected fields. Raw response received: 200 ${quote(text)}`;
  }
  if (parsed.requestId !== requestId) {
    return `Response for request ${requestId} carries another requestId (${parsed.requestId}). Raw response received: 200 ${quote(text)}`;
  }
  return undefined;
}

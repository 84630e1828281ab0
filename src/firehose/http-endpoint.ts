/**
 * One delivery request to an HTTP endpoint destination, following Firehose's contract:
 *
 * - `POST <Url>` with `Content-Type: application/json`, `X-Amz-Firehose-Protocol-Version: 1.0`,
 *   `X-Amz-Firehose-Request-Id` (the same id on every retry of a batch),
 *   `X-Amz-Firehose-Source-Arn`, `X-Amz-Firehose-Access-Key` when configured,
 *   `X-Amz-Firehose-Common-Attributes: {"commonAttributes":{...}}` when configured, and
 *   `Content-Encoding: gzip` with a gzipped body when ContentEncoding is GZIP;
 * - body `{"requestId", "timestamp" (epoch milliseconds), "records": [{"data": base64}]}`;
 * - only a 200 whose body is JSON of at most 1 MiB, sent with a Content-Length and echoing the
 *   `requestId`, is a success; anything else is a retriable failure, except 413, which is
 *   permanent. Redirects are not followed.
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
    const timedOut = (err as Error).name === 'TimeoutError';
    return {
      ok: false,
      permanent: false,
      errorCode: timedOut ? 'HttpEndpoint.RequestTimeout' : 'HttpEndpoint.ConnectionFailed',
      message: timedOut ? 'The request to the endpoint timed out.' : `Could not connect to the endpoint: ${describeCause(err)}`,
    };
  }
  const text = await readLimited(response);
  if (response.status === 413) {
    return { ok: false, permanent: true, errorCode: 'HttpEndpoint.ResponseFailedWithStatusCode', message: 'The endpoint answered 413 Request Entity Too Large.' };
  }
  if (response.status !== 200) {
    return { ok: false, permanent: false, errorCode: 'HttpEndpoint.ResponseFailedWithStatusCode', message: `The endpoint answered with status code ${response.status}.` };
  }
  const invalid = responseProblem(response, text, request.requestId);
  if (invalid) return { ok: false, permanent: false, errorCode: 'HttpEndpoint.InvalidResponseFromDestination', message: invalid };
  return { ok: true };
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : String((err as Error).message ?? err);
}

async function readLimited(response: Response): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > HTTP_RESPONSE_BYTES_MAX) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function responseProblem(response: Response, text: string | undefined, requestId: string): string | undefined {
  if (text === undefined) return `The response body is larger than ${HTTP_RESPONSE_BYTES_MAX} bytes.`;
  if (response.headers.get('content-length') === null) return 'The response has no Content-Length header.';
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return 'The response body must not be encoded.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'The response body is not valid JSON.';
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { requestId?: unknown }).requestId !== requestId) {
    return 'The response requestId does not match the request.';
  }
  return undefined;
}

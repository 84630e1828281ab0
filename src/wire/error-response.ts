/**
 * Every reply the pipeline writes that is not an operation's output: AWS errors in the request's
 * codec, the XML-ish bodies AWS sends before it knows the protocol, and internal failures.
 */
import { isAwsError, type AwsError } from '../errors/aws-error.js';
import { InternalFailure } from '../errors/common.js';
import type { Codec } from './codecs/index.js';

export interface WireReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export function errorBody(error: AwsError): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: error.type };
  if (error.hasMessage) body[error.messageKey] = error.message;
  if (error.extra) Object.assign(body, error.extra);
  return body;
}

/** Any thrown value → the AWS error the client sees. Non-AWS errors become a bare InternalFailure. */
export function toAwsError(thrown: unknown): AwsError {
  return isAwsError(thrown) ? thrown : new InternalFailure(thrown);
}

export function encodedErrorReply(error: AwsError, codec: Codec): WireReply {
  return {
    status: error.status,
    headers: { 'content-type': codec.contentType, 'x-amzn-errortype': error.type },
    body: codec.encode(errorBody(error)),
  };
}

/** The body AWS writes when it cannot tell the protocol yet: `<Type>\n  <Message>…</Message>\n</Type>\n`. */
export function xmlErrorReply(type: string, message: string | undefined, status: number): WireReply {
  const body = message === undefined ? `<${type}/>\n` : `<${type}>\n  <Message>${message}</Message>\n</${type}>\n`;
  return { status, headers: { 'x-amzn-errortype': type }, body: Buffer.from(body, 'utf8') };
}

/**
 * The base of every error that reaches a client as an AWS error response.
 *
 * One subclass per AWS exception type (see kinesis.ts, firehose.ts, common.ts). The wire layer
 * turns any AwsError into `{"__type": type, "message": message}` with `status`; anything that is
 * not an AwsError becomes a 500 InternalFailure without its details.
 *
 * Identify errors by `type` (or `isAwsError`), never by `instanceof` alone: two copies of the
 * library in one process would otherwise disagree.
 */
const AWS_ERROR_BRAND = Symbol.for('runnel.AwsError');

export type ErrorFault = 'client' | 'server';

export class AwsError extends Error {
  readonly [AWS_ERROR_BRAND] = true;
  /** The AWS exception name written as `__type`, e.g. `ResourceNotFoundException`. */
  readonly type: string;
  readonly status: number;
  readonly fault: ErrorFault;
  /** Extra members some AWS errors carry in their body (e.g. Firehose `code`). */
  readonly extra: Record<string, unknown> | undefined;
  /** SerializationException writes `Message`, every other type `message`. */
  readonly messageKey: 'message' | 'Message';

  constructor(
    type: string,
    message: string | undefined,
    options: {
      status?: number;
      fault?: ErrorFault;
      extra?: Record<string, unknown>;
      messageKey?: 'message' | 'Message';
      cause?: unknown;
    } = {},
  ) {
    super(message ?? '', options.cause === undefined ? undefined : { cause: options.cause });
    this.name = type;
    this.type = type;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'server' : 'client');
    this.extra = options.extra;
    this.messageKey = options.messageKey ?? 'message';
    /** An error built without a message has no message member on the wire. */
    this.hasMessage = message !== undefined;
  }

  readonly hasMessage: boolean;
}

export function isAwsError(value: unknown): value is AwsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[AWS_ERROR_BRAND] === true;
}

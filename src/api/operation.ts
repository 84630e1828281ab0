/**
 * The contract between the wire layer and the services.
 *
 * The wire pipeline decodes bytes, finds the service by the X-Amz-Target prefix and the operation
 * by name, runs input validation (`api/validation`), then calls `handle` with a typed input.
 * Handlers throw AwsError subclasses for AWS errors and return plain objects: `Buffer`/`Uint8Array`
 * for blobs and `Date` for timestamps; the codec of the request's content type encodes them.
 * An operation whose output is an event stream (SubscribeToShard) returns an EventStreamOutput.
 */
import type { AwsError } from '../errors/aws-error.js';
import type { Logger } from '../server/logger.js';

export type WireProtocol = 'json' | 'cbor';

export interface RequestContext {
  readonly requestId: string;
  readonly service: string;
  readonly operation: string;
  readonly protocol: WireProtocol;
  /** Access key of the SigV4 credential, when the request carried one. */
  readonly accessKeyId: string | undefined;
  readonly region: string;
  readonly accountId: string;
  /** Aborted when the client goes away (connection or HTTP/2 stream closed). */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export type OperationHandler = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;

export interface ServiceDefinition {
  /** X-Amz-Target prefix, e.g. `Kinesis_20131202`. */
  readonly targetPrefix: string;
  /** SigV4 service name, e.g. `kinesis`. */
  readonly signingName: string;
  /** Name of the model in `api/validation` that holds this service's shapes. */
  readonly modelName: 'kinesis' | 'firehose';
  readonly operations: ReadonlyMap<string, OperationHandler>;
}

/** One message of an event stream: an event, or an exception that ends the stream. */
export type EventStreamMessage =
  | { readonly kind: 'event'; readonly eventType: string; readonly payload: unknown }
  | { readonly kind: 'exception'; readonly error: AwsError };

const EVENT_STREAM = Symbol.for('runnel.EventStreamOutput');

export interface EventStreamOutput {
  readonly [EVENT_STREAM]: true;
  /** Sent first as the `initial-response` event. */
  readonly initialResponse: unknown;
  readonly events: AsyncIterable<EventStreamMessage>;
}

export function eventStreamOutput(initialResponse: unknown, events: AsyncIterable<EventStreamMessage>): EventStreamOutput {
  return { [EVENT_STREAM]: true, initialResponse, events };
}

export function isEventStreamOutput(value: unknown): value is EventStreamOutput {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EVENT_STREAM] === true;
}

/**
 * How the messages of an operation's event stream become frames for an AWS JSON 1.1 / CBOR 1.1
 * service: events carry `:message-type`=`event`, `:event-type` and `:content-type`; a modelled
 * exception ends the stream as `:message-type`=`exception` with `:exception-type` and a
 * `{"message": …}` payload in the request's encoding.
 */
import type { EventStreamMessage } from '../../api/operation.js';
import type { AwsError } from '../../errors/aws-error.js';
import type { Codec } from '../codecs/codec.js';
import type { EventStreamFrame } from './message.js';

export const INITIAL_RESPONSE_EVENT_TYPE = 'initial-response';

/** The 500 error is `InternalFailure` as a response body but `InternalFailureException` as an
 * event-stream member, the name SubscribeToShardEventStream declares. */
const EXCEPTION_TYPE_BY_ERROR_TYPE: Readonly<Record<string, string>> = { InternalFailure: 'InternalFailureException' };

export function eventFrame(eventType: string, payload: unknown, codec: Codec): EventStreamFrame {
  return {
    headers: [
      { name: ':event-type', value: { type: 'string', value: eventType } },
      { name: ':content-type', value: { type: 'string', value: codec.contentType } },
      { name: ':message-type', value: { type: 'string', value: 'event' } },
    ],
    payload: codec.encode(payload),
  };
}

export function exceptionFrame(error: AwsError, codec: Codec): EventStreamFrame {
  return {
    headers: [
      { name: ':exception-type', value: { type: 'string', value: EXCEPTION_TYPE_BY_ERROR_TYPE[error.type] ?? error.type } },
      { name: ':content-type', value: { type: 'string', value: codec.contentType } },
      { name: ':message-type', value: { type: 'string', value: 'exception' } },
    ],
    payload: codec.encode(error.hasMessage ? { [error.messageKey]: error.message } : {}),
  };
}

export function messageFrame(message: EventStreamMessage, codec: Codec): EventStreamFrame {
  return message.kind === 'event' ? eventFrame(message.eventType, message.payload, codec) : exceptionFrame(message.error, codec);
}

/**
 * Firehose exceptions. The names Firehose shares with Kinesis Data Streams (ResourceNotFound,
 * ResourceInUse, InvalidArgument, LimitExceeded) are the same wire exception, so they are
 * re-exported rather than declared twice.
 */
import { AwsError } from './aws-error.js';

export { InvalidArgumentException, LimitExceededException, ResourceInUseException, ResourceNotFoundException } from './kinesis.js';

export class ConcurrentModificationException extends AwsError {
  constructor(message: string) { super('ConcurrentModificationException', message); }
}

/** The only Firehose exception modelled as a server fault: HTTP 503. */
export class ServiceUnavailableException extends AwsError {
  constructor(message: string) { super('ServiceUnavailableException', message, { status: 503 }); }
}

/** Carries a `code` member beside `message`, as the model declares. */
export class InvalidKMSResourceException extends AwsError {
  constructor(code: string, message: string) { super('InvalidKMSResourceException', message, { extra: { code } }); }
}

/** Carries a `code` member beside `message`, as the model declares. */
export class InvalidSourceException extends AwsError {
  constructor(code: string, message: string) { super('InvalidSourceException', message, { extra: { code } }); }
}

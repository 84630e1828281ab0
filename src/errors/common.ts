/** Errors raised by the wire pipeline and shared by every service. */
import { AwsError } from './aws-error.js';

export class UnknownOperationException extends AwsError {
  constructor() { super('UnknownOperationException', undefined); }
}
export class SerializationException extends AwsError {
  constructor(message?: string) { super('SerializationException', message, { messageKey: 'Message' }); }
}
export class ValidationException extends AwsError {
  constructor(message: string) { super('ValidationException', message); }
}
export class MissingAuthenticationTokenException extends AwsError {
  constructor(message = 'Missing Authentication Token') { super('MissingAuthenticationTokenException', message); }
}
export class IncompleteSignatureException extends AwsError {
  constructor(message: string) { super('IncompleteSignatureException', message); }
}
export class InvalidSignatureException extends AwsError {
  constructor(message: string) { super('InvalidSignatureException', message); }
}
export class UnrecognizedClientException extends AwsError {
  constructor(message = 'The security token included in the request is invalid.') { super('UnrecognizedClientException', message); }
}
export class AccessDeniedException extends AwsError {
  constructor(message: string, status = 400) { super('AccessDeniedException', message, { status }); }
}
export class InternalFailure extends AwsError {
  constructor(cause?: unknown) { super('InternalFailure', undefined, { status: 500, cause }); }
}
export class RequestEntityTooLargeException extends AwsError {
  constructor(message: string) { super('RequestEntityTooLargeException', message, { status: 413 }); }
}

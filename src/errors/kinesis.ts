/** One class per exception in the Kinesis Data Streams model. Messages follow AWS's wording. */
import { AwsError } from './aws-error.js';

export class ResourceNotFoundException extends AwsError {
  constructor(message: string) { super('ResourceNotFoundException', message); }
}
export class ResourceInUseException extends AwsError {
  constructor(message: string) { super('ResourceInUseException', message); }
}
export class InvalidArgumentException extends AwsError {
  constructor(message: string) { super('InvalidArgumentException', message); }
}
export class LimitExceededException extends AwsError {
  constructor(message: string) { super('LimitExceededException', message); }
}
export class ProvisionedThroughputExceededException extends AwsError {
  constructor(message: string) { super('ProvisionedThroughputExceededException', message); }
}
export class ExpiredIteratorException extends AwsError {
  constructor(message: string) { super('ExpiredIteratorException', message); }
}
export class ExpiredNextTokenException extends AwsError {
  constructor(message: string) { super('ExpiredNextTokenException', message); }
}
export class KMSInvalidStateException extends AwsError {
  constructor(message: string) { super('KMSInvalidStateException', message); }
}
export class KMSNotFoundException extends AwsError {
  constructor(message: string) { super('KMSNotFoundException', message); }
}
export class KMSDisabledException extends AwsError {
  constructor(message: string) { super('KMSDisabledException', message); }
}
export class KMSAccessDeniedException extends AwsError {
  constructor(message: string) { super('KMSAccessDeniedException', message); }
}
export class KMSOptInRequired extends AwsError {
  constructor(message: string) { super('KMSOptInRequired', message); }
}
export class KMSThrottlingException extends AwsError {
  constructor(message: string) { super('KMSThrottlingException', message); }
}

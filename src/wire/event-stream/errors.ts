/** Malformed event-stream bytes (bad lengths, CRC mismatch, unknown header type) or a message
 * that cannot be framed within the limits. Not an AWS error: it never reaches a client as one. */
export class EventStreamFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStreamFormatError';
  }
}

/**
 * A body codec for one AWS content type. Both codecs share the same value model: handlers return
 * plain objects with `Buffer`/`Uint8Array` for blobs and `Date` for timestamps, and members whose
 * value is `undefined` are left out. They differ only in how blobs and timestamps travel:
 *
 * | Content type                    | Blob            | Timestamp                              |
 * |---------------------------------|-----------------|----------------------------------------|
 * | application/x-amz-json-1.1      | base64 string   | epoch seconds number (may be fractional)|
 * | application/x-amz-cbor-1.1      | byte string     | tag 1 + integer epoch milliseconds     |
 */
import type { WireProtocol } from '../../api/operation.js';

export interface Codec {
  readonly protocol: WireProtocol;
  /** The content type written on responses. */
  readonly contentType: string;
  /** Throws SerializationException (no message) when the body is not a single object. */
  decode(body: Buffer): Record<string, unknown>;
  encode(value: unknown): Buffer;
}

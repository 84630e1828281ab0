/** Picks the codec for a request's Content-Type; the reply uses the same one. */
import { cborCodec, CBOR_CONTENT_TYPE } from './cbor.js';
import type { Codec } from './codec.js';
import { createJsonCodec } from './json11.js';

export type { Codec } from './codec.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Plain `application/json` is answered as JSON 1.1 with the same content type echoed back. */
export const PLAIN_JSON_CONTENT_TYPE = 'application/json';

const CODECS: ReadonlyMap<string, Codec> = new Map([
  [JSON_CONTENT_TYPE, createJsonCodec(JSON_CONTENT_TYPE)],
  [PLAIN_JSON_CONTENT_TYPE, createJsonCodec(PLAIN_JSON_CONTENT_TYPE)],
  [CBOR_CONTENT_TYPE, cborCodec],
]);

/** The media type without parameters, lower-cased: `application/x-amz-json-1.1; charset=utf-8` → `application/x-amz-json-1.1`. */
export function mediaType(contentTypeHeader: string | undefined): string {
  return (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
}

export function codecFor(contentTypeHeader: string | undefined): Codec | undefined {
  if (contentTypeHeader === undefined) return undefined;
  return CODECS.get(contentTypeHeader) ?? CODECS.get(mediaType(contentTypeHeader));
}

export function codecForProtocol(protocol: 'json' | 'cbor'): Codec {
  return protocol === 'cbor' ? cborCodec : CODECS.get(JSON_CONTENT_TYPE)!;
}

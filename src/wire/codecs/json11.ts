/** AWS JSON 1.1: blobs as base64 strings, timestamps as epoch seconds. */
import { SerializationException } from '../../errors/common.js';
import type { Codec } from './codec.js';
import { encodeJson } from './json-writer.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


export function createJsonCodec(contentType: string): Codec {
  return {
    protocol: 'json',
    contentType,
    decode(body) {
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        throw new SerializationException();
      }
      if (!isPlainObject(value)) throw new SerializationException();
      return value;
    },
    encode(value) {
      return encodeJson(value);
    },
  };
}

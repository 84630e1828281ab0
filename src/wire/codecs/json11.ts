/** AWS JSON 1.1: blobs as base64 strings, timestamps as epoch seconds. */
import { SerializationException } from '../../errors/common.js';
import type { Codec } from './codec.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.stringify calls Buffer#toJSON and Date#toJSON before the replacer, so read the holder. */
function replaceAwsValues(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  if (raw instanceof Date) return raw.getTime() / 1000;
  return value;
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
      return Buffer.from(JSON.stringify(value, replaceAwsValues) ?? '', 'utf8');
    },
  };
}

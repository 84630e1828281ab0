/**
 * AWS CBOR 1.1 (`application/x-amz-cbor-1.1`), the default of the Java SDKs and the KCL.
 *
 * Timestamps are tag 1 holding an INTEGER of epoch milliseconds — not the seconds RFC 8949 says,
 * but what the Java SDK writes and AWS answers. A fractional value is read as seconds, the RFC
 * meaning, since no Java client produces one. cbor-x keeps tag decoders in one process-wide table,
 * so registering tag 1 here applies to every cbor-x decoder in the process; event-stream payloads
 * (the only other CBOR in Runnel) want the same meaning.
 */
import { Decoder, Encoder, Tag, addExtension } from 'cbor-x';
import { SerializationException } from '../../errors/common.js';
import type { Codec } from './codec.js';
import { encodeCbor } from './cbor-writer.js';

export const CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1';

const EPOCH_TAG = 1;

addExtension({
  tag: EPOCH_TAG,
  decode: (value: unknown) => {
    // cbor-x hands over 64-bit integers as BigInt.
    if (typeof value === 'bigint') return new Date(Number(value));
    if (typeof value !== 'number') throw new SerializationException();
    return new Date(Number.isInteger(value) ? value : Math.round(value * 1000));
  },
} as Parameters<typeof addExtension>[0]);

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });

const UINT32_MAX = 0xffffffff;

/**
 * Rewrites dates as tag 1 + epoch ms and drops undefined members; blobs pass through as bytes.
 * Integers beyond 32 bits become BigInt because cbor-x writes such numbers as floats, and Java
 * clients read longs (and timestamps) as CBOR integers only.
 */
function toCborValue(value: unknown): unknown {
  if (value instanceof Date) return new Tag(BigInt(value.getTime()), EPOCH_TAG);
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && (value > UINT32_MAX || value < -UINT32_MAX) ? BigInt(value) : value;
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toCborValue);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = toCborValue(member);
  }
  return out;
}

export const cborCodec: Codec = {
  protocol: 'cbor',
  contentType: CBOR_CONTENT_TYPE,
  decode(body) {
    let value: unknown;
    try {
      value = decoder.decode(body);
    } catch {
      throw new SerializationException();
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) {
      throw new SerializationException();
    }
    return value as Record<string, unknown>;
  },
  encode(value) {
    return encodeCbor(value) ?? encoder.encode(toCborValue(value));
  },
};

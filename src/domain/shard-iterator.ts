/**
 * Shard iterators: where a reader is in one shard of one stream incarnation, and when the
 * iterator was issued. Encoded as a signed token (see signed-token.ts), ≤ 512 characters:
 *
 *   version u8 | issuedAtMs f64 | counter f64 | shardIndex u32 | uid len u8 + bytes | name len u8 + bytes
 *
 * AWS lets an iterator live 300 s; callers check `issuedAtMs` against the clock.
 */
import { TokenSigner } from './signed-token.js';

const VERSION = 1;

export interface IteratorPosition {
  readonly streamName: string;
  readonly streamUid: string;
  readonly shardIndex: number;
  /** The counter of the next record to return. */
  readonly counter: number;
  readonly issuedAtMs: number;
}

export class ShardIteratorCodec {
  private readonly signer: TokenSigner;

  constructor(secret: Uint8Array) {
    this.signer = new TokenSigner(secret, 'shard-iterator');
  }

  encode(position: IteratorPosition): string {
    const name = Buffer.from(position.streamName, 'utf8');
    const uid = Buffer.from(position.streamUid, 'utf8');
    const payload = Buffer.allocUnsafe(1 + 8 + 8 + 4 + 1 + uid.length + 1 + name.length);
    let offset = payload.writeUInt8(VERSION, 0);
    offset = payload.writeDoubleBE(position.issuedAtMs, offset);
    offset = payload.writeDoubleBE(position.counter, offset);
    offset = payload.writeUInt32BE(position.shardIndex, offset);
    offset = payload.writeUInt8(uid.length, offset);
    offset += uid.copy(payload, offset);
    offset = payload.writeUInt8(name.length, offset);
    name.copy(payload, offset);
    return this.signer.seal(payload);
  }

  /** Undefined for anything that is not an iterator this server issued. AWS also accepts an
   * iterator wrapped in double quotes. */
  decode(text: string): IteratorPosition | undefined {
    const unquoted = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
    const payload = this.signer.open(unquoted);
    if (!payload || payload.length < 23 || payload.readUInt8(0) !== VERSION) return undefined;
    const issuedAtMs = payload.readDoubleBE(1);
    const counter = payload.readDoubleBE(9);
    const shardIndex = payload.readUInt32BE(17);
    const uidLength = payload.readUInt8(21);
    const nameStart = 22 + uidLength;
    if (payload.length < nameStart + 1) return undefined;
    const nameLength = payload.readUInt8(nameStart);
    if (payload.length !== nameStart + 1 + nameLength) return undefined;
    return {
      issuedAtMs,
      counter,
      shardIndex,
      streamUid: payload.subarray(22, nameStart).toString('utf8'),
      streamName: payload.subarray(nameStart + 1).toString('utf8'),
    };
  }
}

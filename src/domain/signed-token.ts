/**
 * Opaque, tamper-evident tokens (shard iterators, pagination tokens): a binary payload followed
 * by a truncated HMAC-SHA256 under a per-server secret, in base64. A token that fails to decode or
 * to verify is simply "not a token": callers answer with AWS's message for a bad argument.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;

export class TokenSigner {
  constructor(private readonly secret: Uint8Array, private readonly purpose: string) {}

  seal(payload: Buffer): string {
    return Buffer.concat([payload, this.mac(payload)]).toString('base64');
  }

  /** The payload, or undefined when `token` is not one this signer sealed. */
  open(token: string): Buffer | undefined {
    if (token.length < 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
    const bytes = Buffer.from(token, 'base64');
    if (bytes.length <= MAC_BYTES) return undefined;
    const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
    const mac = bytes.subarray(bytes.length - MAC_BYTES);
    return timingSafeEqual(mac, this.mac(payload)) ? payload : undefined;
  }

  private mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(this.purpose).update(payload).digest().subarray(0, MAC_BYTES);
  }
}

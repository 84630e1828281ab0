/**
 * Pagination tokens (ListShards, ListStreams): opaque, signed, and stamped with their issue time
 * so they expire after 300 s as AWS's do. The payload is a small JSON object chosen by the caller.
 */
import { TokenSigner } from './signed-token.js';

export interface PageTokenPayload {
  readonly issuedAtMs: number;
}

export class PageTokenCodec {
  private readonly signer: TokenSigner;

  constructor(secret: Uint8Array) {
    this.signer = new TokenSigner(secret, 'page-token');
  }

  encode<T extends PageTokenPayload>(kind: string, payload: T): string {
    return this.signer.seal(Buffer.from(JSON.stringify({ kind, ...payload }), 'utf8'));
  }

  /** Undefined for anything that is not a token of `kind` this server issued. */
  decode<T extends PageTokenPayload>(kind: string, token: string): T | undefined {
    const payload = this.signer.open(token);
    if (!payload) return undefined;
    try {
      const parsed = JSON.parse(payload.toString('utf8')) as { kind?: unknown; issuedAtMs?: unknown };
      if (parsed.kind !== kind || typeof parsed.issuedAtMs !== 'number') return undefined;
      return parsed as unknown as T;
    } catch {
      return undefined;
    }
  }
}

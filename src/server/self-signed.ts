/**
 * A self-signed X.509 certificate for the TLS listener, built with node:crypto alone so that no
 * `openssl` binary is needed: an ECDSA P-256 key, subject and issuer `CN=localhost`, subject
 * alternative names `localhost`, `127.0.0.1` and `::1`, valid from one day ago for ten years.
 *
 * The DER writer covers exactly the ASN.1 a certificate needs (RFC 5280 §4.1).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const VALIDITY_YEARS = 10;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const der = {
  sequence: (...items: Buffer[]) => tlv(0x30, ...items),
  set: (...items: Buffer[]) => tlv(0x31, ...items),
  integer: (bytes: Buffer) => tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes),
  boolean: (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0])),
  octetString: (bytes: Buffer) => tlv(0x04, bytes),
  bitString: (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes),
  utf8: (text: string) => tlv(0x0c, Buffer.from(text, 'utf8')),
  explicit: (n: number, content: Buffer) => tlv(0xa0 | n, content),
  oid(dotted: string): Buffer {
    const [first, second, ...rest] = dotted.split('.').map(Number) as number[];
    const bytes = [40 * first! + second!];
    for (const arc of rest) {
      const groups: number[] = [];
      for (let value = arc; ; value = Math.floor(value / 128)) {
        groups.unshift(value % 128);
        if (value < 128) break;
      }
      bytes.push(...groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group)));
    }
    return tlv(0x06, Buffer.from(bytes));
  },
  time(date: Date): Buffer {
    const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
  },
};

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  subjectAltName: '2.5.29.17',
};

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function toPem(label: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function createSelfSignedCertificate(now = new Date()): { cert: string; key: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = der.sequence(der.set(der.sequence(der.oid(OID.commonName), der.utf8('localhost'))));
  const notBefore = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const signatureAlgorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const alternativeNames = der.sequence(
    tlv(0x82, Buffer.from('localhost', 'ascii')),
    tlv(0x87, Buffer.from([127, 0, 0, 1])),
    tlv(0x87, Buffer.from([...Array(15).fill(0), 1])),
  );
  const tbs = der.sequence(
    der.explicit(0, der.integer(Buffer.from([2]))),
    der.integer(serial),
    signatureAlgorithm,
    name,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.sequence(
      extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
      extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, alternativeNames),
    )),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  return {
    cert: toPem('CERTIFICATE', certificate),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

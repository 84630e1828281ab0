/**
 * Certificate and key for the TLS listener: the files named by --tls-cert/--tls-key, or a
 * self-signed certificate for localhost, 127.0.0.1 and ::1 (./self-signed.ts) made on first use and
 * kept in `<data dir>/tls/`, so clients that trust it keep working across restarts. An in-memory
 * server makes a fresh one on each start.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TlsMaterial } from '../wire/server.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import { createSelfSignedCertificate } from './self-signed.js';

export const GENERATED_CERT_FILE = 'runnel-cert.pem';
export const GENERATED_KEY_FILE = 'runnel-key.pem';

async function readPair(certPath: string, keyPath: string): Promise<TlsMaterial | undefined> {
  try {
    return { cert: await readFile(certPath), key: await readFile(keyPath) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function loadTlsMaterial(
  config: Pick<ServerConfig, 'tlsCertPath' | 'tlsKeyPath' | 'dataDir' | 'inMemory'>,
  log: Logger,
): Promise<TlsMaterial> {
  if (config.tlsCertPath !== undefined || config.tlsKeyPath !== undefined) {
    if (config.tlsCertPath === undefined || config.tlsKeyPath === undefined) {
      throw new Error('--tls-cert and --tls-key must be given together');
    }
    return { cert: await readFile(config.tlsCertPath), key: await readFile(config.tlsKeyPath) };
  }
  if (config.inMemory) return createSelfSignedCertificate();

  const dir = path.join(config.dataDir, 'tls');
  const certPath = path.join(dir, GENERATED_CERT_FILE);
  const keyPath = path.join(dir, GENERATED_KEY_FILE);
  const existing = await readPair(certPath, keyPath);
  if (existing) return existing;
  const generated = createSelfSignedCertificate();
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, generated.key, { mode: 0o600 });
  await writeFile(certPath, generated.cert);
  log.info('generated a self-signed TLS certificate', { path: certPath });
  return generated;
}

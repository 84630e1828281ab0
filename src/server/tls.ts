/**
 * Certificate and key for the TLS listener: the files named by --tls-cert/--tls-key, or a
 * self-signed certificate for localhost and 127.0.0.1 made on first use with the `openssl` CLI and
 * kept in `<data dir>/tls/` so clients that pinned it keep working across restarts. An in-memory
 * server makes a fresh one in a temporary directory each start.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TlsMaterial } from '../wire/server.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';

const run = promisify(execFile);

const CERT_FILE = 'runnel-cert.pem';
const KEY_FILE = 'runnel-key.pem';
const VALIDITY_DAYS = 3650;

async function readPair(certPath: string, keyPath: string): Promise<TlsMaterial | undefined> {
  try {
    return { cert: await readFile(certPath), key: await readFile(keyPath) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function generateSelfSigned(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256',
      '-days', String(VALIDITY_DAYS),
      '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-keyout', path.join(dir, KEY_FILE),
      '-out', path.join(dir, CERT_FILE),
    ]);
  } catch (err) {
    throw new Error(
      `could not generate a self-signed TLS certificate with openssl (${(err as Error).message.split('\n')[0]}); ` +
        'install openssl or pass --tls-cert and --tls-key',
      { cause: err },
    );
  }
}

export async function loadTlsMaterial(config: Pick<ServerConfig, 'tlsCertPath' | 'tlsKeyPath' | 'dataDir' | 'inMemory'>, log: Logger): Promise<TlsMaterial> {
  if (config.tlsCertPath !== undefined || config.tlsKeyPath !== undefined) {
    if (config.tlsCertPath === undefined || config.tlsKeyPath === undefined) {
      throw new Error('--tls-cert and --tls-key must be given together');
    }
    return { cert: await readFile(config.tlsCertPath), key: await readFile(config.tlsKeyPath) };
  }
  if (config.inMemory) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runnel-tls-'));
    try {
      await generateSelfSigned(dir);
      return (await readPair(path.join(dir, CERT_FILE), path.join(dir, KEY_FILE)))!;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const dir = path.join(config.dataDir, 'tls');
  const existing = await readPair(path.join(dir, CERT_FILE), path.join(dir, KEY_FILE));
  if (existing) return existing;
  await generateSelfSigned(dir);
  log.info('generated a self-signed TLS certificate', { path: path.join(dir, CERT_FILE) });
  return (await readPair(path.join(dir, CERT_FILE), path.join(dir, KEY_FILE)))!;
}

/** The TLS port: ALPN picks h2 or http/1.1; the certificate is generated once and reused. */
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createLogger } from '../../src/server/logger.js';
import { loadTlsMaterial } from '../../src/server/tls.js';
import { http2Request, DUMMY_AUTH_HEADERS } from '../helpers/raw-http.js';
import { startTestServer, TEST_CREDENTIALS, TEST_REGION } from '../helpers/server.js';
import { JSON_HEADERS, startTestWire, target } from './fixtures.js';

const silent = createLogger('silent');

describe('TLS listener', () => {
  let wire: Awaited<ReturnType<typeof startTestWire>>;
  let material: Awaited<ReturnType<typeof loadTlsMaterial>>;
  before(async () => {
    material = await loadTlsMaterial({ inMemory: true, dataDir: '', tlsCertPath: undefined, tlsKeyPath: undefined }, silent);
    wire = await startTestWire({ tls: material });
  });
  after(() => wire.server.close());

  test('ALPN h2 serves HTTP/2', async () => {
    const res = await http2Request(
      wire.tlsEndpoint!,
      { headers: { ...JSON_HEADERS, ...target('ListStreams'), ...DUMMY_AUTH_HEADERS }, body: '{}' },
      { rejectUnauthorized: false },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().StreamNames, ['alpha']);
  });

  test('ALPN http/1.1 serves HTTP/1.1', async () => {
    const { protocol, status, body } = await new Promise<{ protocol: string | false | null; status: number; body: string }>((resolve, reject) => {
      const req = https.request(
        `${wire.tlsEndpoint}/`,
        {
          method: 'POST',
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
          agent: false,
          headers: { ...JSON_HEADERS, ...target('ListStreams'), ...DUMMY_AUTH_HEADERS },
        } as https.RequestOptions & tls.ConnectionOptions,
        (res) => {
          let text = '';
          res.on('data', (chunk) => { text += chunk; });
          res.on('end', () => resolve({ protocol: (res.socket as tls.TLSSocket).alpnProtocol, status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(protocol, 'http/1.1');
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(body).StreamNames, ['alpha']);
  });

  test('the generated certificate verifies for localhost and 127.0.0.1 when trusted', async () => {
    const port = Number(new URL(wire.tlsEndpoint!).port);
    for (const servername of ['localhost', undefined]) {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: material.cert, ...(servername ? { servername } : {}), ALPNProtocols: ['h2'] }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      assert.equal(authorized, true, servername ?? '127.0.0.1');
    }
  });

  test('the server offers h2 first', async () => {
    const port = Number(new URL(wire.tlsEndpoint!).port);
    const negotiated = await new Promise<string | false | null>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
        resolve(socket.alpnProtocol);
        socket.end();
      });
      socket.on('error', reject);
    });
    assert.equal(negotiated, 'h2');
  });
});

describe('startServer with --tls-port', () => {
  let dataDir: string;
  before(async () => { dataDir = await mkdtemp(path.join(os.tmpdir(), 'runnel-tls-test-')); });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('a self-signed certificate is made in the data dir on first use and reused after', async () => {
    const config = { inMemory: false, dataDir, tlsPort: 0 };
    const first = await loadTlsMaterial({ ...config, tlsCertPath: undefined, tlsKeyPath: undefined }, silent);
    const second = await loadTlsMaterial({ ...config, tlsCertPath: undefined, tlsKeyPath: undefined }, silent);
    assert.equal(first.cert.toString(), second.cert.toString());
    await stat(path.join(dataDir, 'tls', 'runnel-cert.pem'));
    assert.equal((await stat(path.join(dataDir, 'tls', 'runnel-key.pem'))).mode & 0o077, 0);
    const x509 = new (await import('node:crypto')).X509Certificate(first.cert);
    assert.match(x509.subjectAltName ?? '', /DNS:localhost/);
    assert.match(x509.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  });

  test('an in-memory server answers SDK calls on its TLS endpoint', async () => {
    const server = await startTestServer({ tlsPort: 0 });
    const client = new KinesisClient({
      endpoint: server.tlsEndpoint!,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ rejectUnauthorized: false }) }),
    });
    try {
      assert.match(server.tlsEndpoint!, /^https:\/\/127\.0\.0\.1:\d+$/);
      const out = await client.send(new ListStreamsCommand({}));
      assert.deepEqual(out.StreamNames, []);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});

/** Signature verification, on only when access keys are configured. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { http1Request, http2Request, presignedPath, signedHeaders } from '../helpers/raw-http.js';
import { JSON_HEADERS, startTestWire, target, type TestWire } from './fixtures.js';

const KEYS = new Map([['AKIDRUNNEL', 'runnel-secret']]);
const SIGNED_AT = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));
const BODY = '{"Limit":5}';

async function signed(endpoint: string, options: { accessKeyId?: string; secretAccessKey?: string; service?: string; body?: string } = {}) {
  const request = { headers: { ...JSON_HEADERS, ...target('ListStreams') }, body: options.body ?? BODY };
  const headers = await signedHeaders(endpoint, request, {
    accessKeyId: options.accessKeyId ?? 'AKIDRUNNEL',
    secretAccessKey: options.secretAccessKey ?? 'runnel-secret',
    service: options.service ?? 'kinesis',
    signingDate: SIGNED_AT,
  });
  return { ...request, headers };
}

for (const [transport, send] of [['HTTP/1.1', http1Request], ['h2c', http2Request]] as const) {
  describe(`SigV4 verification over ${transport}`, () => {
    let wire: TestWire;
    const clock = new ManualClock(SIGNED_AT.getTime());
    before(async () => { wire = await startTestWire({ authKeys: KEYS, clock }); });
    after(() => wire.server.close());

    test('a correctly signed request passes', async () => {
      clock.set(SIGNED_AT.getTime());
      const res = await send(wire.endpoint, await signed(wire.endpoint));
      assert.equal(res.status, 200, res.body.toString());
      assert.equal(wire.recorded.inputs.at(-1)!.ctx.accessKeyId, 'AKIDRUNNEL');
    });

    test('a wrong secret is an InvalidSignatureException', async () => {
      clock.set(SIGNED_AT.getTime());
      const res = await send(wire.endpoint, await signed(wire.endpoint, { secretAccessKey: 'wrong' }));
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), {
        __type: 'InvalidSignatureException',
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      });
    });

    test('a body changed after signing is an InvalidSignatureException', async () => {
      clock.set(SIGNED_AT.getTime());
      const request = await signed(wire.endpoint);
      const res = await send(wire.endpoint, { ...request, body: '{"Limit":6}' });
      assert.equal(res.json().__type, 'InvalidSignatureException');
    });

    test('a credential scoped to another service is an InvalidSignatureException', async () => {
      clock.set(SIGNED_AT.getTime());
      const res = await send(wire.endpoint, await signed(wire.endpoint, { service: 'firehose' }));
      assert.deepEqual(res.json(), { __type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'kinesis'. " });
    });

    test('an unknown access key is an UnrecognizedClientException', async () => {
      clock.set(SIGNED_AT.getTime());
      const res = await send(wire.endpoint, await signed(wire.endpoint, { accessKeyId: 'AKIDUNKNOWN' }));
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    });

    test('a request signed more than 5 minutes ago has an expired signature', async () => {
      clock.set(SIGNED_AT.getTime() + 5 * 60_000 + 1000);
      const res = await send(wire.endpoint, await signed(wire.endpoint));
      assert.deepEqual(res.json(), {
        __type: 'InvalidSignatureException',
        message: 'Signature expired: 20260115T120000Z is now earlier than 20260115T120001Z (20260115T120501Z - 5 min.)',
      });
    });

    test('a request signed more than 5 minutes ahead is not yet current', async () => {
      clock.set(SIGNED_AT.getTime() - 5 * 60_000 - 1000);
      const res = await send(wire.endpoint, await signed(wire.endpoint));
      assert.deepEqual(res.json(), {
        __type: 'InvalidSignatureException',
        message: 'Signature not yet current: 20260115T120000Z is still later than 20260115T115959Z (20260115T115459Z + 5 min.)',
      });
    });

    test('a presigned query is verified like a header signature', async () => {
      clock.set(SIGNED_AT.getTime());
      const request = { headers: { ...JSON_HEADERS, ...target('ListStreams') }, body: BODY };
      const sign = (secretAccessKey: string) =>
        presignedPath(wire.endpoint, request, { accessKeyId: 'AKIDRUNNEL', secretAccessKey, signingDate: SIGNED_AT });
      const good = await send(wire.endpoint, { ...request, path: await sign('runnel-secret') });
      assert.equal(good.status, 200, good.body.toString());
      const bad = await send(wire.endpoint, { ...request, path: await sign('wrong') });
      assert.equal(bad.json().__type, 'InvalidSignatureException');
    });

    test('within the 5-minute window the signature is accepted', async () => {
      clock.set(SIGNED_AT.getTime() + 4 * 60_000);
      assert.equal((await send(wire.endpoint, await signed(wire.endpoint))).status, 200);
    });
  });
}

describe('without configured keys', () => {
  let wire: TestWire;
  before(async () => { wire = await startTestWire(); });
  after(() => wire.server.close());

  test('any well-formed signature is accepted', async () => {
    const res = await http1Request(wire.endpoint, await signed(wire.endpoint, { accessKeyId: 'ANYTHING', secretAccessKey: 'whatever' }));
    assert.equal(res.status, 200);
  });
});

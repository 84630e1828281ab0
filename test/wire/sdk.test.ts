/**
 * The AWS SDK v3 Kinesis client against the wire layer: its default HTTP/2 handler (h2c with prior
 * knowledge) and the HTTP/1.1 handler, with and without signature verification.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeLimitsCommand, DescribeStreamCommand, ListStreamsCommand, PutRecordCommand, ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../helpers/server.js';
import { startTestWire, type TestWire } from './fixtures.js';

for (const http1 of [false, true]) {
  const transport = http1 ? 'HTTP/1.1 handler' : 'default HTTP/2 handler';

  describe(`SDK client, ${transport}`, () => {
    let wire: TestWire;
    before(async () => { wire = await startTestWire(); });
    after(() => wire.server.close());

    test('a call round-trips', async () => {
      const client = kinesisClient(wire.endpoint, { http1 });
      try {
        const out = await client.send(new ListStreamsCommand({ Limit: 10 }));
        assert.deepEqual(out.StreamNames, ['alpha']);
        assert.equal(out.HasMoreStreams, false);
        assert.match(out.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(wire.recorded.inputs.at(-1)!.input.Limit, 10);
      } finally {
        client.destroy();
      }
    });

    test('blobs travel as bytes both ways', async () => {
      const client = kinesisClient(wire.endpoint, { http1 });
      try {
        const data = new Uint8Array([0, 255, 7]);
        await client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: data }));
        assert.deepEqual([...wire.recorded.inputs.at(-1)!.input.Data], [0, 255, 7]);
      } finally {
        client.destroy();
      }
    });

    test('a modelled error becomes the SDK exception class with its message', async () => {
      const client = kinesisClient(wire.endpoint, { http1 });
      try {
        await assert.rejects(client.send(new DescribeStreamCommand({ StreamName: 'x' })), (err: unknown) => {
          assert.ok(err instanceof ResourceNotFoundException);
          assert.equal(err.message, 'Stream x under account 000000000000 not found.');
          assert.equal(err.$metadata.httpStatusCode, 400);
          return true;
        });
      } finally {
        client.destroy();
      }
    });

    test('an internal failure is a 500 InternalFailure', async () => {
      const client = kinesisClient(wire.endpoint, { http1 });
      try {
        await assert.rejects(client.send(new DescribeLimitsCommand({})), (err: any) => {
          assert.equal(err.name, 'InternalFailure');
          assert.equal(err.$metadata.httpStatusCode, 500);
          return true;
        });
      } finally {
        client.destroy();
      }
    });

    test('many concurrent calls on one connection, then a client that closes its session and a new one', async () => {
      const first = kinesisClient(wire.endpoint, { http1 });
      const results = await Promise.all(Array.from({ length: 50 }, () => first.send(new ListStreamsCommand({}))));
      assert.equal(results.length, 50);
      first.destroy();
      const second = kinesisClient(wire.endpoint, { http1 });
      try {
        assert.deepEqual((await second.send(new ListStreamsCommand({}))).StreamNames, ['alpha']);
      } finally {
        second.destroy();
      }
    });
  });

  describe(`SDK client with signature verification, ${transport}`, () => {
    let wire: TestWire;
    before(async () => { wire = await startTestWire({ authKeys: new Map([['AKIDSDK', 'sdk-secret']]) }); });
    after(() => wire.server.close());

    test('the right secret is accepted', async () => {
      const client = kinesisClient(wire.endpoint, { http1, credentials: { accessKeyId: 'AKIDSDK', secretAccessKey: 'sdk-secret' } });
      try {
        assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['alpha']);
      } finally {
        client.destroy();
      }
    });

    test('a wrong secret is an InvalidSignatureException, an unknown key an UnrecognizedClientException', async () => {
      for (const [credentials, name] of [
        [{ accessKeyId: 'AKIDSDK', secretAccessKey: 'nope' }, 'InvalidSignatureException'],
        [{ accessKeyId: 'AKIDOTHER', secretAccessKey: 'sdk-secret' }, 'UnrecognizedClientException'],
      ] as const) {
        const client = kinesisClient(wire.endpoint, { http1, credentials });
        try {
          await assert.rejects(client.send(new ListStreamsCommand({})), (err: any) => {
            assert.equal(err.name, name);
            return true;
          });
        } finally {
          client.destroy();
        }
      }
    });
  });
}

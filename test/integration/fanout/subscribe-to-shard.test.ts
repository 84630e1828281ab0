/**
 * SubscribeToShard through @aws-sdk/client-kinesis on both of its handlers (HTTP/2, the default,
 * and HTTP/1.1) over cleartext and TLS.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startTestServer, useKinesisServer, useServerAndClient } from '../../helpers/server.js';
import { EventReader, dataOf, fanoutClient, logWatcher, streamWithConsumer, testCertificate, type Transport } from './helpers.js';

const FIRST_SHARD = 'shardId-000000000000';

for (const security of ['h2c', 'tls'] as const) {
  for (const transport of ['http2', 'http1'] as const satisfies readonly Transport[]) {
    describe(`SubscribeToShard over ${transport} (${security === 'tls' ? 'TLS' : 'cleartext'})`, () => {
      let certificate: Awaited<ReturnType<typeof testCertificate>> | undefined;
      const logs = logWatcher();
      let counter = 0;
      const nextStreamName = () => `fanout-${security}-${transport}-${++counter}`;

      const suite = security === 'tls'
        ? useServerAndClient(async () => {
          certificate = await testCertificate();
          return startTestServer({ tlsPort: 0, tlsCertPath: certificate.certPath, tlsKeyPath: certificate.keyPath }, { log: logs.log });
        }, (server) => fanoutClient(server.tlsEndpoint!, transport, certificate!.cert))
        : useKinesisServer({}, { log: logs.log, http1: transport === 'http1' });
      // Registered after the suite's server hooks, so it runs once the server is closed.
      after(async () => {
        await certificate?.cleanup();
      });

      // Over HTTP/2 the SDK closes the event stream's session gracefully (GOAWAY) right after the
      // response headers, so every push below also checks that a GOAWAY does not end the stream.
      it('pushes records written after a LATEST subscription, with continuation and lag', async () => {
        const { client } = suite;
        const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
        await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('before') }));
        const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' });
        const first = await reader.next();
        assert.deepEqual(first?.Records, []);
        assert.match(first!.ContinuationSequenceNumber!, /^\d{56}$/);

        const put = await client.send(new PutRecordsCommand({
          StreamName: streamName,
          Records: ['a', 'b', 'c'].map((text) => ({ PartitionKey: 'k', Data: Buffer.from(text) })),
        }));
        const events = await reader.untilRecords(3);
        assert.deepEqual(dataOf(events), ['a', 'b', 'c']);
        const records = events.flatMap((event) => event.Records!);
        assert.deepEqual(records.map((record) => record.SequenceNumber), put.Records!.map((record) => record.SequenceNumber));
        assert.equal(records[0]!.PartitionKey, 'k');
        assert.ok(records[0]!.ApproximateArrivalTimestamp instanceof Date);
        assert.equal(events.at(-1)!.ContinuationSequenceNumber, put.Records!.at(-1)!.SequenceNumber);
        assert.equal(events.at(-1)!.MillisBehindLatest, 0);
        await reader.close();
      });

      it('replays from TRIM_HORIZON, then keeps pushing', async () => {
        const { client } = suite;
        const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
        for (const text of ['one', 'two']) {
          await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from(text) }));
        }
        const reader = await EventReader.open(client, consumerArn, { Type: 'TRIM_HORIZON' });
        assert.deepEqual(dataOf(await reader.untilRecords(2)), ['one', 'two']);
        await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('three') }));
        assert.deepEqual(dataOf(await reader.untilRecords(1)), ['three']);
        await reader.close();
      });

      it('ends the server side when the client aborts the subscription', async () => {
        const { client } = suite;
        const { streamName, consumerArn } = await streamWithConsumer(client, nextStreamName());
        const controller = new AbortController();
        const reader = await EventReader.open(client, consumerArn, { Type: 'LATEST' }, FIRST_SHARD, controller.signal);
        await reader.next();
        controller.abort();
        const ended = await logs.waitFor((entry) => entry.msg === 'subscription ended' && entry.stream === streamName);
        assert.equal(ended.reason, 'client-gone');
        const put = await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('after') }));
        assert.equal(put.ShardId, FIRST_SHARD);
      });
    });
  }
}

/**
 * SubscribeToShard for a CBOR caller (the Java SDK's default encoding): event payloads come back
 * in CBOR, blobs as byte strings and timestamps as tag 1 + epoch milliseconds. Raw HTTP/2, since
 * the JS SDK speaks JSON only.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { cborCodec } from '../../../src/wire/codecs/cbor.js';
import { EventStreamDecoder } from '../../../src/wire/event-stream/decoder.js';
import { headerValue, type EventStreamFrame } from '../../../src/wire/event-stream/message.js';
import { useKinesisServer } from '../../helpers/server.js';
import { streamWithConsumer } from './helpers.js';

function amzDate(): string {
  return new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
}

describe('SubscribeToShard over CBOR', () => {
  const suite = useKinesisServer();

  it('answers CBOR events with byte-string data and tag-1 timestamps', async () => {
    const { client, server } = suite;
    const { streamName, consumerArn } = await streamWithConsumer(client, 'cbor');
    const written = await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from([0, 1, 2, 255]) }));
    const session = http2.connect(server.endpoint);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/',
        'content-type': 'application/x-amz-cbor-1.1',
        'x-amz-target': 'Kinesis_20131202.SubscribeToShard',
        'x-amz-date': amzDate(),
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/${amzDate().slice(0, 8)}/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      });
      stream.end(cborCodec.encode({ ConsumerARN: consumerArn, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }));
      const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
      assert.equal(headers[':status'], 200);
      const decoder = new EventStreamDecoder();
      const frames: EventStreamFrame[] = [];
      for await (const chunk of stream) {
        frames.push(...decoder.push(chunk));
        if (frames.length >= 2) break;
      }
      assert.deepEqual(frames.map((frame) => headerValue(frame, ':event-type')), ['initial-response', 'SubscribeToShardEvent']);
      assert.equal(headerValue(frames[1]!, ':content-type'), 'application/x-amz-cbor-1.1');
      const event = cborCodec.decode(Buffer.from(frames[1]!.payload)) as { Records: Array<Record<string, unknown>>; ContinuationSequenceNumber: string };
      const record = event.Records[0]!;
      assert.deepEqual([...(record.Data as Uint8Array)], [0, 1, 2, 255]);
      assert.ok(record.ApproximateArrivalTimestamp instanceof Date);
      assert.equal(record.SequenceNumber, written.SequenceNumber);
      assert.equal(event.ContinuationSequenceNumber, written.SequenceNumber);
    } finally {
      session.destroy();
    }
  });
});

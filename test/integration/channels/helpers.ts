/** Shared pieces of the channel integration tests: channel inputs and record puts. */
import assert from 'node:assert/strict';
import {
  PutRecordsCommand,
  type CreateChannelCommandInput,
  type KinesisClient,
  type RecordFormatType,
  type S3CompressionType,
} from '@aws-sdk/client-kinesis';

export const ACCOUNT = '000000000000';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/channel-role`;

export function streamArn(stream: string): string {
  return `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${stream}`;
}

export interface ChannelOptions {
  readonly format?: RecordFormatType;
  readonly compression?: S3CompressionType;
  readonly template?: string;
  readonly freshness?: number;
  readonly deadLetter?: { BucketARN: string; ExpectedBucketOwner: string; ErrorOutputPrefix?: string };
}

export function s3Channel(name: string, stream: string, bucket: string, options: ChannelOptions = {}): CreateChannelCommandInput {
  return {
    ChannelName: name,
    ServiceExecutionRoleARN: ROLE,
    StreamConfigurationList: [{ StreamARN: streamArn(stream), RecordConfiguration: { RecordFormatType: options.format ?? 'JSON' } }],
    S3DestinationConfiguration: {
      ...(options.freshness !== undefined ? { DataFreshnessInSeconds: options.freshness } : {}),
      ...(options.deadLetter ? { DeadLetterQueueS3Configuration: options.deadLetter } : {}),
      StorageConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        ExpectedBucketOwner: ACCOUNT,
        CompressionType: options.compression ?? 'NONE',
        ...(options.template !== undefined ? { OutputKeyTemplate: options.template } : {}),
      },
    },
  };
}

export async function putRecords(kinesis: KinesisClient, stream: string, records: readonly (string | Buffer)[]): Promise<void> {
  const result = await kinesis.send(new PutRecordsCommand({
    StreamName: stream,
    Records: records.map((record, i) => ({ Data: Buffer.from(record), PartitionKey: `key-${i}-${String(record)}` })),
  }));
  assert.equal(result.FailedRecordCount, 0);
}

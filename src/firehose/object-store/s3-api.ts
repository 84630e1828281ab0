/**
 * Delivery through the S3 API (`--s3-endpoint`): any S3-compatible server, AWS included.
 * Credentials come from the AWS SDK's default chain (environment, profile, ...). Objects above
 * `MULTIPART_THRESHOLD_BYTES` go up as a multipart upload, aborted again if a part fails.
 * The SDK is imported on the first upload: loading it costs a noticeable part of server startup.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, PutObjectInput } from './types.js';

export const MULTIPART_THRESHOLD_BYTES = 16 * 1024 * 1024;
export const MULTIPART_PART_BYTES = 8 * 1024 * 1024;
const CONTENT_TYPE = 'application/octet-stream';

export interface S3ApiOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
}

export class S3ApiObjectStore implements ObjectStore {
  readonly location: string;
  private readonly options: S3ApiOptions;
  private client: S3Client | undefined;
  private sdk: Promise<typeof import('@aws-sdk/client-s3')> | undefined;

  constructor(options: S3ApiOptions) {
    this.location = options.endpoint;
    this.options = options;
  }

  private async connect(): Promise<{ client: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    this.sdk ??= import('@aws-sdk/client-s3');
    const sdk = await this.sdk;
    this.client ??= new sdk.S3Client({ endpoint: this.options.endpoint, region: this.options.region, forcePathStyle: this.options.forcePathStyle });
    return { client: this.client, sdk };
  }

  async putObject(input: PutObjectInput): Promise<void> {
    const { client, sdk } = await this.connect();
    const { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } = sdk;
    const common = { Bucket: input.bucket, Key: input.key, ContentType: CONTENT_TYPE, ContentEncoding: input.contentEncoding };
    if (input.body.length <= MULTIPART_THRESHOLD_BYTES) {
      await client.send(new PutObjectCommand({ ...common, Body: input.body }));
      return;
    }
    const { UploadId } = await client.send(new CreateMultipartUploadCommand(common));
    try {
      const parts: Array<{ ETag: string | undefined; PartNumber: number }> = [];
      for (let offset = 0, partNumber = 1; offset < input.body.length; offset += MULTIPART_PART_BYTES, partNumber++) {
        const { ETag } = await client.send(new UploadPartCommand({
          Bucket: input.bucket,
          Key: input.key,
          UploadId,
          PartNumber: partNumber,
          Body: input.body.subarray(offset, offset + MULTIPART_PART_BYTES),
        }));
        parts.push({ ETag, PartNumber: partNumber });
      }
      await client.send(new CompleteMultipartUploadCommand({ Bucket: input.bucket, Key: input.key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: input.bucket, Key: input.key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.client?.destroy();
  }
}

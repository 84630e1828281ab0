/**
 * Delivery through the S3 API (`--s3-endpoint`): any S3-compatible server, AWS included.
 * Credentials come from the AWS SDK's default chain (environment, profile, ...). Objects above
 * `MULTIPART_THRESHOLD_BYTES` go up as a multipart upload, aborted again if a part fails.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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
  private readonly client: S3Client;

  constructor(options: S3ApiOptions) {
    this.location = options.endpoint;
    this.client = new S3Client({ endpoint: options.endpoint, region: options.region, forcePathStyle: options.forcePathStyle });
  }

  async putObject(input: PutObjectInput): Promise<void> {
    const common = { Bucket: input.bucket, Key: input.key, ContentType: CONTENT_TYPE, ContentEncoding: input.contentEncoding };
    if (input.body.length <= MULTIPART_THRESHOLD_BYTES) {
      await this.client.send(new PutObjectCommand({ ...common, Body: input.body }));
      return;
    }
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(common));
    try {
      const parts: Array<{ ETag: string | undefined; PartNumber: number }> = [];
      for (let offset = 0, partNumber = 1; offset < input.body.length; offset += MULTIPART_PART_BYTES, partNumber++) {
        const { ETag } = await this.client.send(new UploadPartCommand({
          Bucket: input.bucket,
          Key: input.key,
          UploadId,
          PartNumber: partNumber,
          Body: input.body.subarray(offset, offset + MULTIPART_PART_BYTES),
        }));
        parts.push({ ETag, PartNumber: partNumber });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: input.bucket, Key: input.key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: input.bucket, Key: input.key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

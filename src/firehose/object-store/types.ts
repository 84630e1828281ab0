/** Where S3 destinations write objects: the embedded file store or any S3-compatible API. */
export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentEncoding: string | undefined;
}

export interface ObjectStore {
  /** Human-readable location, shown by DescribeDeliveryStream and `runnel firehose status`. */
  readonly location: string;
  /** Resolves once the whole object is stored; a reader never sees part of it. */
  putObject(input: PutObjectInput): Promise<void>;
  /** Why this store could never hold an object under `key` (valid in S3), or undefined when it
   * can. Lets a delivery stream be refused up front instead of retrying such a write for a day. */
  unstorableKeyReason?(key: string): string | undefined;
  close(): Promise<void>;
}

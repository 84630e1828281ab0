/** The third-party s3rver S3 server in a child process, for the tests of delivery through the S3
 * API (`--s3-endpoint`). s3rver needs --openssl-legacy-provider on Node 20. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';

const S3RVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 's3rver-process.js');
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3rver {
  readonly endpoint: string;
  /** An S3 client of it, for the test's own look at the buckets. */
  readonly client: S3Client;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Starts s3rver with `buckets` in a fresh directory. Its credentials go into the environment:
 * Runnel's S3 delivery takes them from the SDK's default chain, as against AWS. */
export async function startS3rver(buckets: readonly string[]): Promise<S3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'runnel-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER_SCRIPT, directory, ...buckets], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).endpoint));
  });
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      child.kill();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

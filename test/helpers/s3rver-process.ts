/**
 * Runs the third-party `s3rver` S3 server for the S3 API tests (see `s3rver.ts`):
 * `node --openssl-legacy-provider s3rver-process.js <dir> <bucket>...`. Prints `{"endpoint"}`.
 */
import { createRequire } from 'node:module';

// `node --test dist/` also runs every file under a test directory, without arguments: then there
// is nothing to start.
const [directory, ...buckets] = process.argv.slice(2);
if (directory !== undefined) {
  const S3rver = createRequire(import.meta.url)('s3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map((name: string) => ({ name })) });
  const { address, port } = await server.run();
  process.stdout.write(JSON.stringify({ endpoint: `http://${address}:${port}` }) + '\n');
}

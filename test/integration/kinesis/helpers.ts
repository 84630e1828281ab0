/** Shared set-up for the Kinesis integration tests: one server per file, unique stream names,
 * raw JSON and CBOR calls, and (re-exported) the assertion for AWS errors. */
import { CreateStreamCommand, type CreateStreamCommandInput, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ServerConfig } from '../../../src/server/config.js';
import type { StartOptions } from '../../../src/server/start.js';
import { Decoder, Encoder } from 'cbor-x';
import { DUMMY_AUTH_HEADERS, http1Request, type RawResponse } from '../../helpers/raw-http.js';
import { useKinesisServer, type ClientOptions, type RunningServer, type ServerAndClient } from '../../helpers/server.js';

export { assertAwsError } from '../../helpers/aws-error.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export interface TestContext extends ServerAndClient<RunningServer, KinesisClient> {
  /** A stream name no other test in the file uses. */
  name(prefix?: string): string;
  /** Creates a stream (ACTIVE at once with the test server's 0 ms delays) and returns its name. */
  createStream(input?: Partial<CreateStreamCommandInput>): Promise<string>;
  arn(streamName: string): string;
}

/** Starts a server before the file's tests and stops it after. */
export function useServer(config: Partial<ServerConfig> = {}, options: StartOptions & ClientOptions = {}): TestContext {
  const suite = useKinesisServer(config, options);
  let counter = 0;
  const context: TestContext = {
    get server() {
      return suite.server;
    },
    get client() {
      return suite.client;
    },
    name: (prefix = 'stream') => `${prefix}-${process.pid}-${++counter}`,
    arn: (streamName: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${streamName}`,
    async createStream(input: Partial<CreateStreamCommandInput> = {}) {
      const StreamName = input.StreamName ?? context.name();
      await context.client.send(new CreateStreamCommand({ ShardCount: 1, ...input, StreamName }));
      return StreamName;
    },
  };
  return context;
}

/** One Kinesis call as raw JSON 1.1 over HTTP/1.1, for what SDK clients never send. */
export function rawJsonCall(endpoint: string, operation: string, body: unknown): Promise<RawResponse> {
  return http1Request(endpoint, {
    headers: { ...DUMMY_AUTH_HEADERS, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kinesis_20131202.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const cborEncoder = new Encoder({ useRecords: false, tagUint8Array: false });
const cborDecoder = new Decoder({ useRecords: false });

/** One Kinesis call in CBOR (as the Java SDK and KCL send it); returns the decoded reply. */
export async function rawCborCall(endpoint: string, operation: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await http1Request(endpoint, {
    headers: { ...DUMMY_AUTH_HEADERS, 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': `Kinesis_20131202.${operation}` },
    body: Buffer.from(cborEncoder.encode(body)),
  });
  return { status: response.status, body: response.body.length > 0 ? cborDecoder.decode(response.body) : undefined };
}

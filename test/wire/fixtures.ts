/**
 * A wire server with a test-only Kinesis service, so the pipeline can be tested without the real
 * operations. The handlers echo what they received and produce every value type the codecs know.
 */
import type { OperationHandler, RequestContext, ServiceDefinition } from '../../src/api/operation.js';
import type { Clock } from '../../src/domain/clock.js';
import { AwsError } from '../../src/errors/aws-error.js';
import { createLogger } from '../../src/server/logger.js';
import { createWireServer, type TlsMaterial, type WireServer } from '../../src/wire/server.js';
import type { RouteHandler } from '../../src/wire/types.js';

export const ECHO_TIMESTAMP = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));

export interface Recorded {
  inputs: Array<{ operation: string; input: any; ctx: RequestContext }>;
  /** Resolves when a handler's signal aborts, with the operation name. */
  aborted: Promise<string>;
}

export function testKinesisService(): { service: ServiceDefinition; recorded: Recorded } {
  let onAbort!: (operation: string) => void;
  const recorded: Recorded = { inputs: [], aborted: new Promise((resolve) => { onAbort = resolve; }) };
  const record = (operation: string, handler: OperationHandler): [string, OperationHandler] => [
    operation,
    (input, ctx) => {
      recorded.inputs.push({ operation, input, ctx });
      return handler(input, ctx);
    },
  ];
  const operations = new Map<string, OperationHandler>([
    record('ListStreams', () => ({ StreamNames: ['alpha'], HasMoreStreams: false, NextToken: undefined })),
    record('PutRecord', (input) => ({
      ShardId: 'shardId-000000000000',
      SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      EncryptionType: undefined,
      // Not in the real output shape: lets tests see how a blob and a timestamp are encoded.
      EchoData: input.Data,
      EchoTimestamp: ECHO_TIMESTAMP,
    })),
    record('GetShardIterator', (input) => ({ ShardIterator: String((input.Timestamp as Date | undefined)?.getTime()) })),
    record('DeleteStream', () => undefined),
    record('DescribeLimits', () => {
      throw new Error('boom: secret internal detail');
    }),
    record('DescribeStream', () => {
      throw new AwsError('ResourceNotFoundException', 'Stream x under account 000000000000 not found.', { extra: { code: 'Extra' } });
    }),
    record('DescribeStreamSummary', (_input, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          onAbort('DescribeStreamSummary');
          resolve({});
        });
      })),
  ]);
  return {
    service: { targetPrefix: 'Kinesis_20131202', signingName: 'kinesis', modelName: 'kinesis', operations },
    recorded,
  };
}

export interface TestWire {
  readonly server: WireServer;
  /** Every log line the server wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  readonly endpoint: string;
  readonly recorded: Recorded;
}

export async function startTestWire(
  options: {
    authKeys?: ReadonlyMap<string, string>;
    clock?: Clock;
    maxRequestBytes?: number;
    routes?: ReadonlyMap<string, RouteHandler>;
    tls?: TlsMaterial;
  } = {},
): Promise<TestWire & { tlsEndpoint: string | undefined }> {
  const { service, recorded } = testKinesisService();
  const logs: Array<Record<string, unknown>> = [];
  const server = await createWireServer({
    services: [service],
    routes: options.routes,
    host: '127.0.0.1',
    port: 0,
    tlsPort: options.tls ? 0 : undefined,
    tls: options.tls,
    authKeys: options.authKeys,
    region: 'us-east-1',
    accountId: '000000000000',
    log: createLogger('debug', {}, (line) => logs.push(JSON.parse(line))),
    clock: options.clock,
    maxRequestBytes: options.maxRequestBytes,
  });
  return {
    server,
    endpoint: `http://127.0.0.1:${server.port}`,
    tlsEndpoint: server.tlsPort === undefined ? undefined : `https://127.0.0.1:${server.tlsPort}`,
    recorded,
    logs,
  };
}

export const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' } as const;
export const CBOR_HEADERS = { 'content-type': 'application/x-amz-cbor-1.1' } as const;
export function target(operation: string): Record<string, string> {
  return { 'x-amz-target': `Kinesis_20131202.${operation}` };
}

/**
 * The Kinesis Data Streams service: builds the StreamService and registers one handler per
 * operation (one file each in this folder). Other subsystems add their operations to
 * `KINESIS_OPERATIONS`.
 */
import type { OperationHandler, ServiceDefinition } from '../operation.js';
import { PageTokenCodec } from '../../domain/page-token.js';
import { ShardIteratorCodec } from '../../domain/shard-iterator.js';
import type { AppDeps } from '../../server/app.js';
import type { Storage } from '../../storage/types.js';
import { loadServerSecret } from '../../streams/server-secret.js';
import { StreamService } from '../../streams/stream-service.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';
import { createStream } from './create-stream.js';
import { deleteStream } from './delete-stream.js';
import { describeStream } from './describe-stream.js';
import { describeStreamSummary } from './describe-stream-summary.js';
import { listStreams } from './list-streams.js';

export const KINESIS_OPERATIONS: Readonly<Record<string, KinesisOperation>> = {
  CreateStream: createStream,
  DeleteStream: deleteStream,
  DescribeStream: describeStream,
  DescribeStreamSummary: describeStreamSummary,
  ListStreams: listStreams,
};

export interface KinesisApi {
  readonly service: ServiceDefinition;
  readonly streams: StreamService;
  close(): Promise<void>;
}

export async function createKinesisApi(deps: AppDeps & { storage: Storage; retentionIntervalMs?: number }): Promise<KinesisApi> {
  const log = deps.log.child({ service: 'kinesis' });
  const streams = await StreamService.open({
    storage: deps.storage,
    config: deps.config,
    clock: deps.clock,
    log,
    ...(deps.retentionIntervalMs !== undefined ? { retentionIntervalMs: deps.retentionIntervalMs } : {}),
  });
  const secret = await loadServerSecret(deps.storage.meta);
  const kinesisDeps: KinesisDeps = {
    streams,
    config: deps.config,
    clock: deps.clock,
    log,
    iterators: new ShardIteratorCodec(secret),
    pageTokens: new PageTokenCodec(secret),
  };
  const operations = new Map<string, OperationHandler>();
  for (const [name, operation] of Object.entries(KINESIS_OPERATIONS)) operations.set(name, operation(kinesisDeps));
  return {
    service: { targetPrefix: 'Kinesis_20131202', signingName: 'kinesis', modelName: 'kinesis', operations },
    streams,
    close: () => streams.close(),
  };
}

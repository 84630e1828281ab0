/**
 * The Kinesis Data Streams service: builds the StreamService and registers one handler per
 * operation (one file each in this folder). Other subsystems add their operations to
 * `KINESIS_OPERATIONS`.
 */
import type { LatencyMetrics } from '../../metrics/index.js';
import type { OperationHandler, ServiceDefinition } from '../operation.js';
import { PageTokenCodec } from '../../domain/page-token.js';
import { ShardIteratorCodec } from '../../domain/shard-iterator.js';
import { createLimits, type Limits } from '../../limits/index.js';
import type { AppDeps } from '../../server/app.js';
import type { Storage } from '../../storage/types.js';
import { loadServerSecret } from '../../streams/server-secret.js';
import { StreamService } from '../../streams/stream-service.js';
import { FanoutService } from '../../fanout/fanout-service.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';
import { createControlPlane, type ControlPlane } from './control-plane.js';
import { CONTROL_PLANE_OPERATIONS } from './control-plane-operations.js';
import { withControlPlaneLimits } from '../../limits/index.js';
import { withResourcePolicies } from '../../policy/index.js';
import { addTagsToStream } from './add-tags-to-stream.js';
import { createStream } from './create-stream.js';
import { decreaseStreamRetentionPeriod } from './decrease-stream-retention-period.js';
import { deleteStream } from './delete-stream.js';
import { deregisterStreamConsumer } from './deregister-stream-consumer.js';
import { describeLimits } from './describe-limits.js';
import { describeStream } from './describe-stream.js';
import { describeStreamConsumer } from './describe-stream-consumer.js';
import { describeStreamSummary } from './describe-stream-summary.js';
import { getRecords } from './get-records.js';
import { getShardIterator } from './get-shard-iterator.js';
import { increaseStreamRetentionPeriod } from './increase-stream-retention-period.js';
import { listShards } from './list-shards.js';
import { listStreamConsumers } from './list-stream-consumers.js';
import { listStreams } from './list-streams.js';
import { listTagsForResource } from './list-tags-for-resource.js';
import { listTagsForStream } from './list-tags-for-stream.js';
import { putRecord } from './put-record.js';
import { putRecords } from './put-records.js';
import { registerStreamConsumer } from './register-stream-consumer.js';
import { removeTagsFromStream } from './remove-tags-from-stream.js';
import { subscribeToShard } from './subscribe-to-shard.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { updateMaxRecordSize } from './update-max-record-size.js';
import { updateStreamMode } from './update-stream-mode.js';

export const KINESIS_OPERATIONS: Readonly<Record<string, KinesisOperation>> = {
  AddTagsToStream: addTagsToStream,
  CreateStream: createStream,
  DecreaseStreamRetentionPeriod: decreaseStreamRetentionPeriod,
  DeleteStream: deleteStream,
  DeregisterStreamConsumer: deregisterStreamConsumer,
  DescribeLimits: describeLimits,
  DescribeStream: describeStream,
  DescribeStreamConsumer: describeStreamConsumer,
  DescribeStreamSummary: describeStreamSummary,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  IncreaseStreamRetentionPeriod: increaseStreamRetentionPeriod,
  ListShards: listShards,
  ListStreamConsumers: listStreamConsumers,
  ListStreams: listStreams,
  ListTagsForResource: listTagsForResource,
  ListTagsForStream: listTagsForStream,
  PutRecord: putRecord,
  PutRecords: putRecords,
  RegisterStreamConsumer: registerStreamConsumer,
  RemoveTagsFromStream: removeTagsFromStream,
  SubscribeToShard: subscribeToShard,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateMaxRecordSize: updateMaxRecordSize,
  UpdateStreamMode: updateStreamMode,
  ...CONTROL_PLANE_OPERATIONS,
};

export interface KinesisApi {
  readonly service: ServiceDefinition;
  readonly streams: StreamService;
  readonly controlPlane: ControlPlane;
  close(): Promise<void>;
}

export interface KinesisApiDeps extends AppDeps {
  readonly storage: Storage;
  /** Shared with other services when given; built from `config.limits` otherwise. */
  readonly limits?: Limits;
  /** Retention pass period; 0 turns the timer off (tests run passes by hand). */
  readonly retentionIntervalMs?: number;
  readonly latency?: LatencyMetrics;
}

export async function createKinesisApi(deps: KinesisApiDeps): Promise<KinesisApi> {
  const log = deps.log.child({ service: 'kinesis' });
  const streams = await StreamService.open({
    storage: deps.storage,
    config: deps.config,
    clock: deps.clock,
    log,
    ...(deps.retentionIntervalMs !== undefined ? { retentionIntervalMs: deps.retentionIntervalMs } : {}),
    ...(deps.latency ? { appendLatency: deps.latency.append } : {}),
  });
  const fanout = await FanoutService.open({
    streams, storage: deps.storage, config: deps.config, clock: deps.clock, log,
    ...(deps.latency ? { pushDelays: { fromAppend: deps.latency.appendToPush, fromAcknowledgement: deps.latency.fanoutPush } } : {}),
  });
  const limits = deps.limits ?? createLimits(deps.config.limits, deps.clock, deps.config.accountId);
  const controlPlane = await createControlPlane({ streams, storage: deps.storage, config: deps.config, clock: deps.clock, log, limits, consumers: fanout.consumers });
  const secret = await loadServerSecret(deps.storage.meta);
  const kinesisDeps: KinesisDeps = {
    streams,
    config: deps.config,
    clock: deps.clock,
    log,
    iterators: new ShardIteratorCodec(secret),
    pageTokens: new PageTokenCodec(secret),
    fanout,
    controlPlane,
    limits,
  };
  const operations = new Map<string, OperationHandler>();
  for (const [name, operation] of Object.entries(KINESIS_OPERATIONS)) operations.set(name, operation(kinesisDeps));
  const guarded = withResourcePolicies(withControlPlaneLimits(operations, kinesisDeps.limits), controlPlane.policies, deps.config.authKeys.size > 0,
    (iterator) => kinesisDeps.iterators.decode(iterator)?.streamName);
  return {
    service: { targetPrefix: 'Kinesis_20131202', signingName: 'kinesis', modelName: 'kinesis', operations: guarded },
    streams,
    controlPlane,
    close: async () => {
      await controlPlane.close();
      await fanout.close();
      await streams.close();
    },
  };
}

/** What every Kinesis operation handler is built from. */
import type { OperationHandler } from '../operation.js';
import type { Clock } from '../../domain/clock.js';
import type { FanoutService } from '../../fanout/fanout-service.js';
import type { PageTokenCodec } from '../../domain/page-token.js';
import type { ShardIteratorCodec } from '../../domain/shard-iterator.js';
import type { ServerConfig } from '../../server/config.js';
import type { Limits } from '../../limits/index.js';
import type { Logger } from '../../server/logger.js';
import type { StreamService } from '../../streams/stream-service.js';
import type { ControlPlane } from './control-plane.js';

export interface KinesisDeps {
  readonly streams: StreamService;
  readonly config: ServerConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly iterators: ShardIteratorCodec;
  readonly pageTokens: PageTokenCodec;
  /** Throughput and rate limits (a no-op unless `config.limits` is `aws`). */
  readonly limits: Limits;
  /** Stream consumers and SubscribeToShard (enhanced fan-out). */
  readonly fanout: FanoutService;
  /** Resharding, encryption keys, metrics and resource policies (issue 3). */
  readonly controlPlane: ControlPlane;
}

/** An operation file exports one of these; index.ts registers it under the operation's name. */
export type KinesisOperation = (deps: KinesisDeps) => OperationHandler;

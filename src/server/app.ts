/**
 * The composition root: opens storage, builds every service and hands the wire layer the list of
 * ServiceDefinitions. Nothing else constructs long-lived objects.
 */
import type { ServiceDefinition } from '../api/operation.js';
import type { Clock } from '../domain/clock.js';
import type { Storage } from '../storage/types.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';

export interface App {
  readonly services: readonly ServiceDefinition[];
  readonly storage: Storage;
  close(): Promise<void>;
}

export interface AppDeps {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
}

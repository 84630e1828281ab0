/**
 * The composition root: opens storage, builds every service and hands the wire layer the list of
 * ServiceDefinitions. Nothing else constructs long-lived objects.
 */
import { createFirehoseApi, firehoseMetricsText } from '../api/firehose/index.js';
import { createKinesisApi } from '../api/kinesis/index.js';
import type { ServiceDefinition } from '../api/operation.js';
import { LatencyMetrics, PROMETHEUS_CONTENT_TYPE } from '../metrics/index.js';
import type { Clock } from '../domain/clock.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/types.js';
import type { RouteHandler } from '../wire/types.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';

export type { RouteHandler } from '../wire/types.js';

export interface App {
  readonly services: readonly ServiceDefinition[];
  readonly storage: Storage;
  /** Extra GET paths served beside the AWS APIs, keyed by exact path. */
  readonly routes: ReadonlyMap<string, RouteHandler>;
  /** The server's own latency histograms, filled by the wire layer, streams and fan-out. */
  readonly latency: LatencyMetrics;
  close(): Promise<void>;
}

export interface AppDeps {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, log } = deps;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        log.error('close failed', { err: String(err) });
      }
    }
  };
  try {
    const storage = await openStorage({
      inMemory: config.inMemory,
      dataDir: config.dataDir,
      fsync: config.fsync,
      fsyncIntervalMs: config.fsyncIntervalMs,
      log,
      clock: deps.clock,
    });
    closers.push(() => storage.close());

    const latency = new LatencyMetrics();
    const kinesis = await createKinesisApi({ ...deps, storage, latency });
    closers.push(() => kinesis.close());

    const firehose = await createFirehoseApi({ ...deps, storage, streams: kinesis.streams });
    closers.push(() => firehose.close());

    const routes = new Map<string, RouteHandler>();
    routes.set('/metrics', async () => ({ contentType: PROMETHEUS_CONTENT_TYPE, body: kinesis.controlPlane.metrics.registry.render() + firehoseMetricsText() + latency.registry.render() }));
    return {
      services: [kinesis.service, firehose.service],
      storage,
      routes,
      latency,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * Runnel as a library: start a Kinesis- and Firehose-compatible server inside your own process,
 * e.g. for tests.
 *
 * ```ts
 * import { startServer } from 'runnel';
 * const server = await startServer({ port: 0, inMemory: true });
 * // new KinesisClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: … })
 * await server.close();
 * ```
 */
export { startServer } from './server/start.js';
export type { RunningServer, StartOptions } from './server/start.js';
export type { ServerConfig } from './server/config.js';
export { defaultConfig } from './server/config.js';
export type { LogLevel, Logger } from './server/logger.js';

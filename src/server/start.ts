/**
 * Starts a complete Runnel server: the app (storage and services) behind the wire listeners.
 * This is what `runnel serve` runs and what the library exports as `startServer`.
 */
import { systemClock, type Clock } from '../domain/clock.js';
import { createWireServer } from '../wire/server.js';
import { createApp, type App } from './app.js';
import { defaultConfig, type ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { loadTlsMaterial } from './tls.js';

export interface RunningServer {
  /** `http://<host>:<port>`, ready for a client's `endpoint` setting. */
  readonly endpoint: string;
  readonly port: number;
  /** `https://<host>:<tlsPort>` when a TLS port was requested. */
  readonly tlsEndpoint?: string;
  /** The effective settings, with the ports actually bound. */
  readonly config: ServerConfig;
  readonly app: App;
  /** Stops the listeners, then closes services and storage. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Time source for every component; tests pass a ManualClock. */
  readonly clock?: Clock;
  /** Defaults to JSON lines on stderr at `config.logLevel`. */
  readonly log?: Logger;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const requested: ServerConfig = { ...defaultConfig(), ...overrides };
  const log = options.log ?? createLogger(requested.logLevel);
  const clock = options.clock ?? systemClock;

  const tls = requested.tlsPort !== undefined ? await loadTlsMaterial(requested, log) : undefined;
  const app = await createApp({ config: requested, log, clock });
  let wire;
  try {
    wire = await createWireServer({
      services: app.services,
      routes: app.routes,
      latency: app.latency,
      host: requested.host,
      port: requested.port,
      tlsPort: requested.tlsPort,
      tls,
      authKeys: requested.authKeys,
      region: requested.region,
      accountId: requested.accountId,
      log,
      clock,
    });
  } catch (err) {
    await app.close();
    throw err;
  }

  const config: ServerConfig = { ...requested, port: wire.port, tlsPort: wire.tlsPort };
  const host = urlHost(config.host);
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${wire.port}`,
    port: wire.port,
    ...(wire.tlsPort !== undefined ? { tlsEndpoint: `https://${host}:${wire.tlsPort}` } : {}),
    config,
    app,
    close: () => {
      closing ??= (async () => {
        await wire.close();
        await app.close();
      })();
      return closing;
    },
  };
}

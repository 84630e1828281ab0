/** `runnel serve`: runs the server until SIGINT or SIGTERM, then closes it gracefully. */
import { ConfigError, loadConfig, settingsHelp } from '../../server/config-load.js';
import { createLogger } from '../../server/logger.js';
import { EXIT_USAGE, type CliCommand } from './command.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the Kinesis and Firehose server.',
  help: () =>
    [
      'Usage: runnel serve [options]',
      '',
      'Runs an AWS Kinesis Data Streams and Firehose compatible server. Each option can also be',
      'set by the environment variable in brackets; flags win over variables.',
      '',
      'Options:',
      settingsHelp(),
      '  --help                 Show this help.',
      '',
      'Example: runnel serve --port 14700 --data-dir /tmp/runnel',
    ].join('\n'),
  async run(args, io) {
    let config;
    try {
      config = loadConfig(args, io.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.stderr(`runnel serve: ${err.message}\nRun 'runnel serve --help' for the options.\n`);
      return EXIT_USAGE;
    }
    const log = createLogger(config.logLevel);
    // Loaded here so that `--help` and `--version` do not pay for loading every service.
    const { startServer } = await import('../../server/start.js');
    let server;
    try {
      server = await startServer(config, { log });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw err;
      io.stderr(`runnel serve: cannot listen on ${config.host}: ${(err as Error).message}\n`);
      return 1;
    }
    log.info('listening', {
      endpoint: server.endpoint,
      ...(server.tlsEndpoint ? { tlsEndpoint: server.tlsEndpoint } : {}),
      dataDir: config.inMemory ? undefined : config.dataDir,
      inMemory: config.inMemory,
    });
    return new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          log.warn('second signal, exiting without waiting', { signal });
          resolve(1);
          return;
        }
        stopping = true;
        log.info('shutting down', { signal });
        server.close().then(
          () => {
            log.info('stopped');
            resolve(0);
          },
          (err: unknown) => {
            log.error('shutdown failed', { error: String(err) });
            resolve(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

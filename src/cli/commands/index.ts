/** Every CLI command. Add yours to the list. */
import type { CliCommand } from './command.js';
import { firehoseStatusCommand } from './firehose-status.js';
import { serveCommand } from './serve.js';

export type { CliCommand, CliIo } from './command.js';

export const COMMANDS: readonly CliCommand[] = [serveCommand, firehoseStatusCommand];

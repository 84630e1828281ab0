#!/usr/bin/env node
/** The `runnel` executable: finds the command in the registry and runs it. */
import { readFileSync } from 'node:fs';
import { COMMANDS, type CliCommand, type CliIo } from './commands/index.js';
import { EXIT_USAGE } from './commands/command.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  return [
    'Usage: runnel <command> [options]',
    '',
    'A self-hostable server that speaks the AWS Kinesis Data Streams and Firehose APIs.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Options:',
    '  --help, -h     Show this help, or a command\'s help after its name.',
    '  --version, -v  Print the version.',
    '',
    "Run 'runnel <command> --help' for a command's options.",
  ].join('\n');
}

/** The command whose (possibly multi-word) name starts the arguments; the longest name wins. */
function findCommand(args: readonly string[]): { command: CliCommand; rest: readonly string[] } | undefined {
  let found: { command: CliCommand; rest: readonly string[] } | undefined;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => args[i] === word) && (!found || words.length > found.command.name.split(' ').length)) {
      found = { command, rest: args.slice(words.length) };
    }
  }
  return found;
}

export async function main(args: readonly string[], io: CliIo): Promise<number> {
  const first = args[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(`${overview()}\n`);
    return first === undefined ? EXIT_USAGE : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
    io.stderr(`runnel: unknown command '${args.join(' ')}'\n\n${overview()}\n`);
    return EXIT_USAGE;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(`${found.command.help()}\n`);
    return 0;
  }
  return found.command.run(found.rest, io);
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // Handles of a closed server can linger briefly; a finished command must not hang.
    setTimeout(() => process.exit(code), 100).unref();
  },
  (err: unknown) => {
    process.stderr.write(`runnel: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);

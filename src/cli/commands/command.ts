/** The shape of a CLI command. Register new ones in ./index.ts. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** One or more words, e.g. `serve` or `firehose status`. */
  readonly name: string;
  /** One line for `runnel --help`. */
  readonly summary: string;
  /** Full text for `runnel <name> --help`. */
  help(): string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit code for a usage error (bad flag or value), as most Unix tools use. */
export const EXIT_USAGE = 2;

#!/usr/bin/env node
/**
 * `npm run bench`: makes sure the bench package's own dependencies are installed and the root is
 * built, then runs bench/src/main.mjs. Parameters are BENCH_* environment variables (bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const rootDir = dirname(dirname(fileURLToPath(import.meta.url)));
const benchDir = join(rootDir, 'bench');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, cwd) {
  process.stderr.write(`[bench] ${command} ${args.join(' ')} (in ${cwd})\n`);
  return spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] }).status;
}

const benchDependencies = Object.keys(JSON.parse(readFileSync(join(benchDir, 'package.json'), 'utf8')).dependencies);
if (!benchDependencies.every((name) => existsSync(join(benchDir, 'node_modules', name, 'package.json')))) {
  if (run(npm, ['ci', '--no-audit', '--no-fund'], benchDir) !== 0) {
    process.stderr.write('[bench] npm ci in bench/ failed\n');
    process.exit(1);
  }
}

const runnelCli = join(rootDir, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(runnelCli)) {
  if (!existsSync(join(rootDir, 'node_modules', 'typescript'))) run(npm, ['ci', '--no-audit', '--no-fund'], rootDir);
  // tsc exits non-zero on type errors but still emits; what matters is whether the CLI now exists.
  run(npm, ['run', 'build'], rootDir);
  if (!existsSync(runnelCli)) process.stderr.write(`[bench] ${runnelCli} still missing after the build: Runnel will be reported as failed\n`);
}

const { main } = await import(pathToFileURL(join(benchDir, 'src', 'main.mjs')).href);
process.exitCode = await main();

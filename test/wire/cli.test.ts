/** The `runnel` executable, run as users run it (the compiled bin). */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { http1Request } from '../helpers/raw-http.js';
import { kinesisClient } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

function runnel(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, RUNNEL_PORT: '' } });
}

describe('runnel CLI', () => {
  test('the bin starts with a node shebang', () => {
    assert.match(readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  test('--help lists the commands', () => {
    const result = runnel('--help');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Usage: runnel <command>/);
    assert.match(result.stdout, /serve\s+Run the Kinesis and Firehose server/);
  });

  test('serve --help lists every option with its variable', () => {
    const result = runnel('serve', '--help');
    assert.equal(result.status, 0);
    for (const flag of ['--port PORT', '--data-dir DIR', '--in-memory', '--tls-port', '--auth-keys', '--create-stream-ms']) {
      assert.ok(result.stdout.includes(flag), flag);
    }
    assert.match(result.stdout, /\[RUNNEL_PORT\]/);
    assert.match(result.stdout, /Default: 4567/);
  });

  test('--version prints the package version', () => {
    const result = runnel('--version');
    assert.equal(result.status, 0);
    assert.equal(result.stdout.trim(), PACKAGE.version);
  });

  test('a bad flag or value exits with code 2 and says what is wrong', () => {
    const unknown = runnel('serve', '--prot', '1');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option '--prot' \(did you mean '--port'\?\)/);
    assert.match(unknown.stderr, /runnel serve --help/);
    const badValue = runnel('serve', '--port', 'x');
    assert.equal(badValue.status, 2);
    assert.match(badValue.stderr, /--port must be an integer/);
  });

  test('a port in use is reported in one line, without a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const result = runnel('serve', '--in-memory', '--port', String(port));
      assert.equal(result.status, 1);
      assert.match(result.stderr, /runnel serve: cannot listen on 127\.0\.0\.1: .*EADDRINUSE/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  test('an unknown command exits with code 2', () => {
    const result = runnel('frobnicate');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
  });

  test('serve logs one "listening" line, answers, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--in-memory', '--create-stream-ms', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      let listening: { endpoint: string } | undefined;
      for await (const line of createInterface({ input: child.stderr! })) {
        let entry: { msg?: string; endpoint?: string };
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (entry.msg === 'listening') {
          listening = entry as { endpoint: string };
          break;
        }
      }
      assert.ok(listening, 'no listening line');
      assert.match(listening.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await http1Request(listening.endpoint, { method: 'GET', path: '/health' })).status, 200);
      const client = kinesisClient(listening.endpoint);
      try {
        assert.ok(Array.isArray((await client.send(new ListStreamsCommand({}))).StreamNames));
      } finally {
        client.destroy();
      }
      child.stderr!.resume();
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

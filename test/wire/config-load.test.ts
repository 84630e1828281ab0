/** Settings: defaults ← RUNNEL_* environment ← flags, and helpful errors for bad input. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig, type ServerConfig } from '../../src/server/config.js';
import { ConfigError, loadConfig, SETTINGS, settingsHelp } from '../../src/server/config-load.js';

describe('config loading', () => {
  test('every ServerConfig field can be set by a flag and an environment variable', () => {
    const covered = new Set(SETTINGS.map((spec) => spec.field));
    for (const field of Object.keys(defaultConfig()) as Array<keyof ServerConfig>) {
      assert.ok(covered.has(field), `no flag for ${field}`);
    }
    for (const spec of SETTINGS) {
      assert.equal(spec.env, `RUNNEL_${spec.flag.toUpperCase().replace(/-/g, '_')}`);
      assert.match(settingsHelp(), new RegExp(`--${spec.flag}\\b`));
    }
  });

  test('docs/configuration.md has a row for every setting, with its variable and default', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const defaults = defaultConfig();
    for (const spec of SETTINGS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`--${spec.flag}`));
      assert.ok(row, `no row for --${spec.flag}`);
      assert.ok(row.includes(`\`${spec.env}\``), `${spec.flag}: variable`);
      const value = defaults[spec.field];
      if (value !== undefined && !(value instanceof Map)) assert.ok(row.includes(`\`${String(value)}\``), `${spec.flag}: default ${String(value)}`);
    }
  });

  test('no flags and no environment give the defaults', () => {
    assert.deepEqual(loadConfig([], {}), defaultConfig());
  });

  test('flags take both forms and override the environment', () => {
    const config = loadConfig(['--port', '14700', '--data-dir=/tmp/x', '--in-memory', '--log-level', 'debug'], {
      RUNNEL_PORT: '5000',
      RUNNEL_REGION: 'eu-west-1',
      RUNNEL_DATA_DIR: '/env/dir',
    });
    assert.equal(config.port, 14700);
    assert.equal(config.dataDir, '/tmp/x');
    assert.equal(config.inMemory, true);
    assert.equal(config.region, 'eu-west-1');
    assert.equal(config.logLevel, 'debug');
  });

  test('every documented setting parses', () => {
    const config = loadConfig([
      '--host', '0.0.0.0', '--tls-port', '4568', '--tls-cert', 'c.pem', '--tls-key', 'k.pem',
      '--fsync', 'interval', '--fsync-interval-ms', '10', '--account-id', '123456789012',
      '--create-stream-ms', '0', '--delete-stream-ms', '1', '--update-stream-ms', '2', '--shard-limit', '7',
      '--on-demand-stream-count-limit', '3', '--limits', 'off', '--auth-keys', 'AKID1:s1,AKID2:s:2',
      '--firehose-flush-records', '5', '--firehose-create-ms', '0', '--firehose-delete-ms', '0',
      '--s3-endpoint', 'http://127.0.0.1:9000', '--no-s3-force-path-style',
    ], {});
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.tlsPort, 4568);
    assert.equal(config.tlsCertPath, 'c.pem');
    assert.equal(config.tlsKeyPath, 'k.pem');
    assert.equal(config.fsync, 'interval');
    assert.equal(config.fsyncIntervalMs, 10);
    assert.equal(config.accountId, '123456789012');
    assert.deepEqual([config.createStreamMs, config.deleteStreamMs, config.updateStreamMs], [0, 1, 2]);
    assert.equal(config.shardLimit, 7);
    assert.equal(config.onDemandStreamCountLimit, 3);
    assert.equal(config.limits, 'off');
    assert.deepEqual([...config.authKeys], [['AKID1', 's1'], ['AKID2', 's:2']]);
    assert.equal(config.firehoseFlushRecords, 5);
    assert.equal(config.s3Endpoint, 'http://127.0.0.1:9000');
    assert.equal(config.s3ForcePathStyle, false);
  });

  test('boolean variables accept true/false and 1/0', () => {
    assert.equal(loadConfig([], { RUNNEL_IN_MEMORY: '1' }).inMemory, true);
    assert.equal(loadConfig([], { RUNNEL_IN_MEMORY: 'false' }).inMemory, false);
    assert.equal(loadConfig(['--in-memory=false'], { RUNNEL_IN_MEMORY: 'true' }).inMemory, false);
  });

  test('--auth-keys-file reads one key per line, skipping comments', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'runnel-keys-'));
    try {
      const file = path.join(dir, 'keys');
      await writeFile(file, '# team keys\nAKIDA:secret-a\n\nAKIDB:secret-b\n');
      assert.deepEqual([...loadConfig(['--auth-keys-file', file], {}).authKeys], [['AKIDA', 'secret-a'], ['AKIDB', 'secret-b']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('bad input is a ConfigError that names the flag or variable', () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['--prot', '1'], {}, /unknown option '--prot' \(did you mean '--port'\?\)/],
      [['--port', 'abc'], {}, /--port must be an integer, got 'abc'/],
      [['--port', '70000'], {}, /--port must be between 0 and 65535/],
      [['--port'], {}, /--port needs a value \(PORT\)/],
      [['--fsync', 'sometimes'], {}, /--fsync must be one of always, interval, never/],
      [['--account-id', '12'], {}, /--account-id must be 12 digits/],
      [['--auth-keys', 'nosecret'], {}, /expected ACCESS_KEY_ID:SECRET_ACCESS_KEY/],
      [['serve'], {}, /unexpected argument 'serve'/],
      [[], { RUNNEL_CREATE_STREAM_MS: '-1' }, /RUNNEL_CREATE_STREAM_MS must be between 0/],
      [[], { RUNNEL_LIMITS: 'some' }, /RUNNEL_LIMITS must be one of aws, off/],
      [['--tls-cert', 'c.pem'], {}, /--tls-cert and --tls-key must be given together/],
      [['--port', '5000', '--tls-port', '5000'], {}, /--tls-port must differ from --port/],
    ];
    for (const [args, env, message] of cases) {
      assert.throws(() => loadConfig(args, env), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, message);
        return true;
      }, args.join(' '));
    }
  });
});

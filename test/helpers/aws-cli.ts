/** The AWS CLI (v2, Debian's `awscli`) against a test server, with the test credentials and none
 * of the user's configuration. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TEST_CREDENTIALS, TEST_REGION } from './server.js';

const AWS_CLI = '/usr/bin/aws';

/** For a suite's `skip` option: false where the CLI is installed, else why the suite is skipped. */
export const SKIP_WITHOUT_AWS_CLI: false | string = existsSync(AWS_CLI) ? false : `${AWS_CLI} is not installed (apt-get install awscli)`;

export interface CliResult {
  readonly code: number;
  readonly json: any;
  readonly stderr: string;
}

/** Runs `aws <args> --endpoint-url <endpoint> --output json`; a failure is a result, not an error. */
export function runAwsCli(endpoint: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(AWS_CLI, [...args, '--endpoint-url', endpoint, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: TEST_REGION,
        AWS_PAGER: '',
      },
    }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
      resolve({ code, json: stdout.trim() ? JSON.parse(stdout) : {}, stderr });
    });
  });
}

/** Runs the CLI, asserts that it succeeded, and returns its JSON output. */
export async function awsCliJson(endpoint: string, args: readonly string[]): Promise<any> {
  const result = await runAwsCli(endpoint, args);
  assert.equal(result.code, 0, `aws ${args.join(' ')} failed: ${result.stderr}`);
  return result.json;
}

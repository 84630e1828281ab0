/** docs/lifecycle.md and docs/errors.md stay true to the code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AwsError } from '../../src/errors/aws-error.js';
import * as common from '../../src/errors/common.js';
import * as firehose from '../../src/errors/firehose.js';
import * as kinesis from '../../src/errors/kinesis.js';
import { STAGE_NAMES } from '../../src/wire/pipeline.js';

const docs = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

test('docs/lifecycle.md lists the pipeline stages in the order the code runs them', () => {
  const documented = [...docs('lifecycle.md').matchAll(/^\| \d+ \| `([a-z-]+)` \|/gm)].map((match) => match[1]);
  assert.deepEqual(documented, [...STAGE_NAMES]);
});

test('docs/errors.md lists every AWS error class', () => {
  const text = docs('errors.md');
  const classes = [common, kinesis, firehose].flatMap((module) => Object.values(module))
    .filter((value): value is typeof AwsError => typeof value === 'function' && value.prototype instanceof AwsError);
  assert.ok(classes.length > 20);
  for (const errorClass of classes) {
    assert.match(text, new RegExp(`\\| \`${errorClass.name}\` \\|`), errorClass.name);
  }
});

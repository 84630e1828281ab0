import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// dist/test/validation → repository root.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('generated shapes', () => {
  it('are what scripts/gen-shapes.mjs makes from models/ (run `npm run gen:shapes` after changing a model)', () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runnel-gen-shapes-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts/gen-shapes.mjs'), outDir]);
      for (const model of ['kinesis', 'firehose']) {
        const file = `${model}.generated.ts`;
        const fresh = fs.readFileSync(path.join(outDir, file), 'utf8');
        const committed = fs.readFileSync(path.join(root, 'src/api/validation', file), 'utf8');
        assert.ok(fresh === committed, `src/api/validation/${file} differs from a fresh generation`);
      }
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('the vendored models carry no documentation prose', () => {
    for (const model of ['kinesis', 'firehose']) {
      const text = fs.readFileSync(path.join(root, 'models', `${model}.json`), 'utf8');
      assert.equal(text.includes('"documentation"'), false, model);
    }
  });
});

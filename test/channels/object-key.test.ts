import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_OUTPUT_KEY_TEMPLATE, checkErrorOutputPrefix, evaluateOutputKey, parseOutputKeyTemplate } from '../../src/channels/object-key.js';

const context = { channelName: 'orders', channelId: 'abc123', streamName: 'orders-stream' };
const instant = Date.UTC(2026, 10, 28, 7, 5, 59);

describe('channel object keys', () => {
  it('evaluates the default template in UTC with the suffix before the extension', () => {
    assert.equal(
      evaluateOutputKey(parseOutputKeyTemplate(DEFAULT_OUTPUT_KEY_TEMPLATE), context, instant, '.gz', 'u-1'),
      'kinesis-channel/orders/abc123/2026/11/28/07/orders-abc123-2026-11-28-07-05-u-1.gz',
    );
    assert.equal(
      evaluateOutputKey(parseOutputKeyTemplate(DEFAULT_OUTPUT_KEY_TEMPLATE), context, instant, '', 'u-1'),
      'kinesis-channel/orders/abc123/2026/11/28/07/orders-abc123-2026-11-28-07-05-u-1',
    );
  });

  it('appends the suffix when the template does not end with the extension', () => {
    assert.equal(evaluateOutputKey(parseOutputKeyTemplate('x=!{yy}/!{stream-name}!{extension}.data'), context, instant, '.zst', 's'), 'x=26/orders-stream.zst.data-s');
  });

  it('refuses templates that break a rule, naming the rule', () => {
    const cases: Array<[string, string]> = [
      ['!{yyyy}/', 'it must neither start nor end with /'],
      ['/!{yyyy}', 'it must neither start nor end with /'],
      ['a/../!{yyyy}', 'it must not contain .. or ./'],
      ['data/file', 'it must contain at least one variable'],
      ['data/!{hour}', '!{hour} is not a known variable'],
      ['data/!{yyyy', 'a !{ has no matching }'],
      ['my data/!{yyyy}', 'characters outside !{...} must be letters, digits or / _ - . + ='],
      ['a'.repeat(1020) + '!{dd}', 'it is longer than 1024 characters'],
      ['data//!{yyyy}', 'no path segment may be empty'],
      ['data/!{extension}/!{yyyy}', 'no path segment may be empty'],
      ['!{extension}/!{yyyy}', 'no path segment may be empty'],
    ];
    for (const [template, reason] of cases) {
      assert.throws(() => parseOutputKeyTemplate(template), { name: 'InvalidArgumentException', message: `OutputKeyTemplate ${template} is invalid: ${reason}.` });
    }
  });

  it('accepts dead-letter prefixes whose keys can be stored, and refuses the others', () => {
    checkErrorOutputPrefix('');
    checkErrorOutputPrefix('failed/records-');
    for (const [prefix, reason] of [['/failed', 'it must not start with /'], ['a//b', 'no path segment may be empty'], ['a/../b', 'it must not contain .. or ./']] as const) {
      assert.throws(() => checkErrorOutputPrefix(prefix), { name: 'InvalidArgumentException', message: `ErrorOutputPrefix ${prefix} is invalid: ${reason}.` });
    }
  });
});

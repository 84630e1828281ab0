import assert from 'node:assert/strict';
import { it } from 'node:test';
import { javaDateString } from '../../src/domain/java-date.js';

it('prints dates as Java Date.toString in UTC', () => {
  assert.equal(javaDateString(Date.UTC(2015, 0, 22, 1, 22, 2)), 'Thu Jan 22 01:22:02 UTC 2015');
  assert.equal(javaDateString(Date.UTC(2026, 10, 8, 9, 5, 7, 999)), 'Sun Nov 08 09:05:07 UTC 2026');
});

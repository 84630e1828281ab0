import type { LogId } from './types.js';

const LOG_ID_PATTERN = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Log ids become directory names in the embedded backend, so `..` or empty parts are refused
 * by every backend alike. */
export function assertValidLogId(id: LogId): void {
  if (!LOG_ID_PATTERN.test(id) || id.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`invalid log id ${JSON.stringify(id)}: use [A-Za-z0-9_.-] parts separated by /`);
  }
}

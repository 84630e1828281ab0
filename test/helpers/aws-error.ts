import assert from 'node:assert/strict';

/** Asserts that `promise` fails with the AWS error `type` and, when given, exactly `message` (a
 * string) or a message matching it (a RegExp). */
export async function assertAwsError(promise: Promise<unknown>, type: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    const error = err as { name?: string; message?: string };
    assert.equal(error.name, type, `expected ${type}, got ${error.name}: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message ?? '', message);
    return true;
  });
}

import { ACCOUNT_SETTINGS_KEY, accountSettingsOf, commitmentMinimumMs, commitmentShape, settle, type AccountSettings } from './describe-account-settings.js';
import type { KinesisOperation } from './deps.js';

interface UpdateAccountSettingsInput {
  MinimumThroughputBillingCommitment: { Status: 'ENABLED' | 'DISABLED' };
}

/**
 * ENABLED starts a commitment (kept if one is running). DISABLED ends it at once when its 24-hour
 * minimum has passed, else at the earliest allowed end (`ENABLED_UNTIL_EARLIEST_ALLOWED_END`).
 */
export const updateAccountSettings: KinesisOperation = ({ controlPlane, clock }) => async (input: UpdateAccountSettingsInput) => {
  const nowMs = clock.now();
  const current = settle(await accountSettingsOf(controlPlane.meta), nowMs);
  let next: AccountSettings;
  if (input.MinimumThroughputBillingCommitment.Status === 'ENABLED') {
    next = current.status === 'ENABLED' ? { status: 'ENABLED', startedAtMs: current.startedAtMs! } : { status: 'ENABLED', startedAtMs: nowMs };
  } else if (current.status === 'DISABLED') {
    next = current;
  } else {
    const earliestEndMs = current.startedAtMs! + commitmentMinimumMs;
    next = earliestEndMs <= nowMs
      ? { status: 'DISABLED', startedAtMs: current.startedAtMs!, endedAtMs: nowMs }
      : { status: 'ENABLED', startedAtMs: current.startedAtMs!, endedAtMs: earliestEndMs };
  }
  await controlPlane.meta.commit([{ op: 'put', key: ACCOUNT_SETTINGS_KEY, value: next }]);
  return { MinimumThroughputBillingCommitment: commitmentShape(next) };
};

import type { MetaStore } from '../../storage/types.js';
import type { KinesisOperation } from './deps.js';

export const ACCOUNT_SETTINGS_KEY = 'kinesis/account-settings';
/** AWS: a minimum throughput billing commitment lasts at least 24 hours once enabled. */
export const commitmentMinimumMs = 24 * 3_600_000;

export interface AccountSettings {
  readonly status: 'ENABLED' | 'DISABLED';
  readonly startedAtMs?: number;
  readonly endedAtMs?: number;
}

export async function accountSettingsOf(meta: MetaStore): Promise<AccountSettings> {
  return (await meta.get<AccountSettings>(ACCOUNT_SETTINGS_KEY))?.value ?? { status: 'DISABLED' };
}

/** The MinimumThroughputBillingCommitment output shape at `nowMs`. */
export function commitmentShape(settings: AccountSettings): Record<string, unknown> {
  if (settings.status === 'DISABLED') {
    return {
      Status: 'DISABLED',
      ...(settings.startedAtMs !== undefined ? { StartedAt: new Date(settings.startedAtMs) } : {}),
      ...(settings.endedAtMs !== undefined ? { EndedAt: new Date(settings.endedAtMs) } : {}),
    };
  }
  const startedAtMs = settings.startedAtMs!;
  const earliestEndMs = startedAtMs + commitmentMinimumMs;
  return {
    Status: settings.endedAtMs !== undefined ? 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' : 'ENABLED',
    StartedAt: new Date(startedAtMs),
    ...(settings.endedAtMs !== undefined ? { EndedAt: new Date(settings.endedAtMs) } : {}),
    EarliestAllowedEndAt: new Date(earliestEndMs),
  };
}

/** Settles a pending end: a commitment asked to end before its earliest end ends then. */
export function settle(settings: AccountSettings, nowMs: number): AccountSettings {
  if (settings.status === 'ENABLED' && settings.endedAtMs !== undefined && settings.endedAtMs <= nowMs) {
    return { ...settings, status: 'DISABLED' };
  }
  return settings;
}

export const describeAccountSettings: KinesisOperation = ({ controlPlane, clock }) => async () => ({
  MinimumThroughputBillingCommitment: commitmentShape(settle(await accountSettingsOf(controlPlane.meta), clock.now())),
});

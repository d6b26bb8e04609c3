import { usernameKey } from '@/lib/users/schemas';

/**
 * The progressive delay after a failed sign-in, counted per name typed, whether or not an account
 * has it: were it counted on the account, an existing username would answer slower than an
 * unknown one after a few failures (user enumeration by timing). Kept in this process for the
 * lockout window; the delay only slows guessing, the lockout and rate limits do the rest.
 */
const WINDOW_MS = 15 * 60 * 1000;
const MAX_NAMES = 50_000;
const failures = new Map<string, { count: number; since: number }>();

/** Progressive delay on repeated failures for one name: 250 ms doubling to 4 s. */
export function failureDelayMs(failures: number): number {
  return failures < 3 ? 0 : Math.min(4000, 250 * 2 ** (failures - 3));
}

const keyOf = (tenantId: string, login: string) => `${tenantId}:${usernameKey(login)}`;

/** Counts a failure for the name and returns how long to hold the answer. */
export function delayAfterFailure(tenantId: string, login: string): number {
  const key = keyOf(tenantId, login);
  const now = Date.now();
  const entry = failures.get(key);
  const count = entry && now - entry.since < WINDOW_MS ? entry.count + 1 : 1;
  if (!entry && failures.size >= MAX_NAMES) failures.clear(); // bounded: names are attacker-chosen
  failures.set(key, { count, since: entry && count > 1 ? entry.since : now });
  return failureDelayMs(count);
}

/** A successful sign-in starts the count again. */
export function forgetFailures(tenantId: string, login: string) {
  failures.delete(keyOf(tenantId, login));
}

import { getPrisma } from '@/lib/db';
import { hashPassword, needsRehash, verifyAgainstDecoy, verifyPassword } from '@/lib/passwords';
import { usernameKey } from './schemas';

export type AuthenticationResult =
  | { ok: true; user: { id: string; username: string; mustChangePassword: boolean } }
  | { ok: false; reason: 'invalid_credentials' | 'disabled' | 'locked'; userId?: string; failures?: number; lockedNow?: boolean };

const KNOWN_IPS_KEPT = 10;

// Account lockout after repeated wrong passwords: bounded, so an attacker cannot lock a victim
// out for longer than this at a time.
export const PASSWORD_MAX_FAILURES = 10;
export const PASSWORD_LOCK_MS = 15 * 60 * 1000;

/**
 * The account a typed sign-in name names: its username or its email. Usernames are stored folded
 * (lower case, NFC) and emails lower-cased, so what was typed is folded the same way.
 */
export function signInNameWhere(tenantId: string, login: string) {
  const key = usernameKey(login);
  return { tenantId, OR: [{ username: key }, { email: key }] };
}

/**
 * Password check for the login form. Unknown users are verified against a decoy hash, so the
 * answer and its timing are the same as for a wrong password (no user enumeration). Hashes made
 * with older parameters are upgraded after a successful check.
 */
export async function authenticateUser(tenantId: string, login: string, password: string, ip?: string | null): Promise<AuthenticationResult> {
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({
    where: signInNameWhere(tenantId, login),
    select: { id: true, username: true, passwordHash: true, disabled: true, lockedUntil: true, mustChangePassword: true, knownLoginIps: true },
  });
  if (!user?.passwordHash) {
    await verifyAgainstDecoy(password);
    return { ok: false, reason: 'invalid_credentials', userId: user?.id };
  }
  // A lockout never applies from an address the owner signed in from before: an attacker
  // cannot lock the real user out of their usual place.
  const fromKnownIp = Boolean(ip && user.knownLoginIps.includes(ip));
  if (user.lockedUntil && user.lockedUntil > new Date() && !fromKnownIp) {
    await verifyAgainstDecoy(password); // same cost either way
    return { ok: false, reason: 'locked', userId: user.id };
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid) return countFailure(user.id);
  // A disabled account is reported only after a correct password, and then as a generic
  // failure to the browser; the reason goes to the audit log.
  if (user.disabled) return { ok: false, reason: 'disabled', userId: user.id };

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await prisma.user.update({
    where: { id: user.id },
    data: {
      lastLoginAt: new Date(),
      failedLoginCount: 0,
      lockedUntil: null,
      ...(ip && !fromKnownIp ? { knownLoginIps: [ip, ...user.knownLoginIps].slice(0, KNOWN_IPS_KEPT) } : {}),
      ...(rehash ? { passwordHash: rehash } : {}),
    },
    // Only the key back: Prisma's default RETURNING of the whole row cost a third of this update's CPU.
    select: { id: true },
  });
  return { ok: true, user: { id: user.id, username: user.username, mustChangePassword: user.mustChangePassword } };
}

/**
 * Counts a wrong password with an atomic increment (UPDATE … RETURNING), and decides the lock
 * from the count it returns: concurrent failures each count, where writing back the count read
 * before the hash check let a burst of N parallel guesses add 1. Of the failures that reach
 * PASSWORD_MAX_FAILURES, only the one whose conditional update locks the account and starts the
 * count again reports `lockedNow` (one lockout event per lockout).
 */
async function countFailure(userId: string): Promise<AuthenticationResult> {
  const prisma = await getPrisma();
  const { failedLoginCount: failures } = await prisma.user.update({
    where: { id: userId },
    data: { failedLoginCount: { increment: 1 } },
    select: { failedLoginCount: true },
  });
  if (failures < PASSWORD_MAX_FAILURES) return { ok: false, reason: 'invalid_credentials', userId, failures, lockedNow: false };
  const locked = await prisma.user.updateMany({
    where: { id: userId, failedLoginCount: { gte: PASSWORD_MAX_FAILURES } },
    data: { lockedUntil: new Date(Date.now() + PASSWORD_LOCK_MS), failedLoginCount: 0 },
  });
  return { ok: false, reason: 'locked', userId, failures, lockedNow: locked.count === 1 };
}

import { getPrisma } from '@/lib/db';
import { decryptSeed, hashRecoveryCode, normaliseRecoveryCode } from './repo';
import { verifyTotpCode } from './totp';
import { emitMfaEvent, recordMfaEvent } from './events';

type Tenant = { id: string; slug: string };
type Meta = { ip?: string | null; userAgent?: string | null };

/**
 * Five wrong codes lock the second factor; each further lockout within a day doubles, capped at
 * an hour. The count of attempts starts again after each lockout, so the doubling is counted
 * from the lockouts recorded in the audit log.
 */
export const MFA_MAX_ATTEMPTS = 5;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;
const ESCALATION_WINDOW_MS = 24 * 60 * 60_000;

/** How long a new lockout lasts, given how many this account had in the past day. */
export function lockDuration(earlierLockouts: number): number {
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** earlierLockouts);
}

export type ChallengeResult =
  | { ok: true; method: 'otp' | 'recovery_code'; remainingRecoveryCodes?: number }
  | { ok: false; reason: 'invalid' | 'replayed' | 'locked'; retryAfterSeconds?: number };

/**
 * Checks a second-factor answer at sign-in: a TOTP code (±1 step, never the same step twice) or
 * an unused recovery code (spent on use). Attempts are limited per account, and counted before
 * the answer is checked (claimAttempt).
 */
export async function verifySecondFactor(tenant: Tenant, userId: string, input: string, meta: Meta = {}): Promise<ChallengeResult> {
  const claim = await claimAttempt(userId);
  if ('unknownUser' in claim) return { ok: false, reason: 'invalid' };
  if ('lockedForMs' in claim) {
    emitMfaEvent({ tenant, userId, what: 'challenge.failed', outcome: 'failure', reason: 'locked', meta });
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.max(1, Math.ceil(claim.lockedForMs / 1000)) };
  }
  const prisma = await getPrisma();
  const answer = input.trim();

  if (/^\d{6}$/.test(answer)) {
    const factor = await prisma.mfaFactor.findFirst({ where: { userId, type: 'totp', confirmedAt: { not: null } } });
    if (factor) {
      const check = await verifyTotpCode(decryptSeed(factor.secretEnc, factor.id), answer, factor.lastUsedStep);
      if (check.valid) {
        // Conditional update: two concurrent submissions of one code cannot both pass.
        const won = await prisma.mfaFactor.updateMany({
          where: { id: factor.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: BigInt(check.step!) } }] },
          data: { lastUsedStep: BigInt(check.step!) },
        });
        if (won.count === 1) return succeed(tenant, userId, 'otp', meta);
        return fail(tenant, userId, claim.attempt, 'replayed', meta);
      }
      return fail(tenant, userId, claim.attempt, check.replayed ? 'replayed' : 'invalid', meta);
    }
  } else if (normaliseRecoveryCode(answer).length === 10) {
    const used = await prisma.mfaRecoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(answer), usedAt: null }, data: { usedAt: new Date() } });
    if (used.count === 1) {
      const remaining = await prisma.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
      await succeed(tenant, userId, 'recovery_code', meta, { remaining });
      return { ok: true, method: 'recovery_code', remainingRecoveryCodes: remaining };
    }
  }
  return fail(tenant, userId, claim.attempt, 'invalid', meta);
}

async function succeed(tenant: Tenant, userId: string, method: 'otp' | 'recovery_code', meta: Meta, details?: Record<string, unknown>): Promise<ChallengeResult> {
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { mfaFailedCount: 0, mfaLockedUntil: null } });
    await recordMfaEvent(tx, { tenant, userId, what: method === 'otp' ? 'challenge.succeeded' : 'recovery_code.used', outcome: 'success', meta, details });
  });
  return { ok: true, method };
}

type Claim = { attempt: number } | { lockedForMs: number } | { unknownUser: true };

/**
 * Counts this attempt before the answer is checked, in one statement. The row lock makes
 * concurrent attempts take turns, so each sees the count the ones before it left, and the
 * attempt that brings the count to MFA_MAX_ATTEMPTS sets the lock in the same statement: every
 * later one is refused unchecked. (Reading the count, checking the lock and writing back
 * count + 1 let a burst of parallel guesses all pass the check and add one between them.)
 * A lock that has run out starts the count again: otherwise each single wrong code after an
 * expiry, from anyone holding the password, would lock the owner out again.
 * The lock set here is provisional: the attempt's failure replaces it with the escalated one,
 * its success lifts it, and should the process stop in between it simply runs out.
 */
async function claimAttempt(userId: string): Promise<Claim> {
  const prisma = await getPrisma();
  const rows = await prisma.$queryRaw<{ attempt: number }[]>`
    UPDATE users SET
      mfa_failed_count = (CASE WHEN mfa_locked_until IS NULL THEN mfa_failed_count ELSE 0 END) + 1,
      mfa_locked_until = CASE WHEN (CASE WHEN mfa_locked_until IS NULL THEN mfa_failed_count ELSE 0 END) + 1 >= ${MFA_MAX_ATTEMPTS}::int
                              THEN now() + ${BASE_LOCK_MS}::int * interval '1 millisecond' END
    WHERE id = ${userId}::uuid AND (mfa_locked_until IS NULL OR mfa_locked_until <= now())
    RETURNING mfa_failed_count AS attempt`;
  if (rows.length) return { attempt: Number(rows[0].attempt) };
  // No row updated: the user does not exist, or their lock is running.
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { mfaLockedUntil: true } });
  if (!user) return { unknownUser: true };
  return { lockedForMs: (user.mfaLockedUntil?.getTime() ?? Date.now()) - Date.now() };
}

/**
 * A wrong (or replayed) answer. Its attempt was counted by claimAttempt; the event records the
 * count. The attempt that used up the allowance turns the provisional lock into one that
 * doubles with each lockout of the past day.
 */
async function fail(tenant: Tenant, userId: string, attempt: number, reason: 'invalid' | 'replayed', meta: Meta): Promise<ChallengeResult> {
  let lockMs = 0;
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await recordMfaEvent(tx, { tenant, userId, what: reason === 'replayed' ? 'challenge.replayed' : 'challenge.failed', outcome: 'failure', reason, meta, details: { failures: attempt } });
    if (attempt < MFA_MAX_ATTEMPTS) return;
    const since = new Date(Date.now() - ESCALATION_WINDOW_MS);
    const earlier = await tx.auditEvent.count({ where: { tenantId: tenant.id, subject: userId, type: 'user.mfa.locked', time: { gt: since } } });
    const until = new Date(Date.now() + lockDuration(earlier));
    // Only over the provisional lock: a success that lifted it meanwhile (an earlier attempt, right) stands.
    const kept = await tx.user.updateMany({ where: { id: userId, mfaLockedUntil: { not: null } }, data: { mfaLockedUntil: until } });
    if (kept.count === 0) return;
    lockMs = lockDuration(earlier);
    await recordMfaEvent(tx, { tenant, userId, what: 'locked', outcome: 'failure', reason: `${attempt} failed attempts`, meta, details: { until: until.toISOString(), lockout: earlier + 1 } });
  });
  return lockMs ? { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(lockMs / 1000) } : { ok: false, reason };
}

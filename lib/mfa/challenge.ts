import { getPrisma } from '@/lib/db';
import { decryptSeed, hashRecoveryCode, normaliseRecoveryCode } from './repo';
import { verifyTotpCode } from './totp';
import { emitMfaEvent, recordMfaEvent } from './events';

type Tenant = { id: string; slug: string };
type Meta = { ip?: string | null; userAgent?: string | null };

/** Five wrong codes lock the second factor; each further lockout doubles, capped at an hour. */
export const MFA_MAX_ATTEMPTS = 5;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

export function lockDuration(failedCount: number): number {
  const over = Math.max(0, failedCount - MFA_MAX_ATTEMPTS);
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** over);
}

export type ChallengeResult =
  | { ok: true; method: 'otp' | 'recovery_code'; remainingRecoveryCodes?: number }
  | { ok: false; reason: 'invalid' | 'replayed' | 'locked'; retryAfterSeconds?: number };

/**
 * Checks a second-factor answer at sign-in: a TOTP code (±1 step, never the same step twice) or
 * an unused recovery code (spent on use). Attempts are limited per account.
 */
export async function verifySecondFactor(tenant: Tenant, userId: string, input: string, meta: Meta = {}): Promise<ChallengeResult> {
  const prisma = await getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { mfaFailedCount: true, mfaLockedUntil: true } });
  if (!user) return { ok: false, reason: 'invalid' };
  if (user.mfaLockedUntil && user.mfaLockedUntil > new Date()) {
    emitMfaEvent({ tenant, userId, what: 'challenge.failed', outcome: 'failure', reason: 'locked', meta });
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((user.mfaLockedUntil.getTime() - Date.now()) / 1000) };
  }
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
        return fail(tenant, userId, user.mfaFailedCount, 'replayed', meta);
      }
      return fail(tenant, userId, user.mfaFailedCount, check.replayed ? 'replayed' : 'invalid', meta);
    }
  } else if (normaliseRecoveryCode(answer).length === 10) {
    const used = await prisma.mfaRecoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(answer), usedAt: null }, data: { usedAt: new Date() } });
    if (used.count === 1) {
      const remaining = await prisma.mfaRecoveryCode.count({ where: { userId, usedAt: null } });
      await succeed(tenant, userId, 'recovery_code', meta, { remaining });
      return { ok: true, method: 'recovery_code', remainingRecoveryCodes: remaining };
    }
  }
  return fail(tenant, userId, user.mfaFailedCount, 'invalid', meta);
}

async function succeed(tenant: Tenant, userId: string, method: 'otp' | 'recovery_code', meta: Meta, details?: Record<string, unknown>): Promise<ChallengeResult> {
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { mfaFailedCount: 0, mfaLockedUntil: null } });
    await recordMfaEvent(tx, { tenant, userId, what: method === 'otp' ? 'challenge.succeeded' : 'recovery_code.used', outcome: 'success', meta, details });
  });
  return { ok: true, method };
}

async function fail(tenant: Tenant, userId: string, previousFailures: number, reason: 'invalid' | 'replayed', meta: Meta): Promise<ChallengeResult> {
  const failures = previousFailures + 1;
  const lockedUntil = failures >= MFA_MAX_ATTEMPTS ? new Date(Date.now() + lockDuration(failures)) : null;
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { mfaFailedCount: failures, ...(lockedUntil ? { mfaLockedUntil: lockedUntil } : {}) } });
    await recordMfaEvent(tx, { tenant, userId, what: reason === 'replayed' ? 'challenge.replayed' : 'challenge.failed', outcome: 'failure', reason, meta, details: { failures } });
    if (lockedUntil) await recordMfaEvent(tx, { tenant, userId, what: 'locked', outcome: 'failure', reason: `${failures} failed attempts`, meta, details: { until: lockedUntil.toISOString() } });
  });
  return lockedUntil ? { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(lockDuration(failures) / 1000) } : { ok: false, reason };
}

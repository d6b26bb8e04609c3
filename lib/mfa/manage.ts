import { getPrisma } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { authenticateUser } from '@/lib/users/authenticate-user';
import { verifySecondFactor } from './challenge';
import { generateRecoveryCodes, hashRecoveryCode } from './repo';
import { recordMfaEvent } from './events';
import { isUuid } from '@/lib/db/uuid';

type Tenant = { id: string; slug: string };
type Meta = { ip?: string | null; userAgent?: string | null };
type Actor = { type: 'user' | 'admin' | 'client' | 'system' | 'scim'; id?: string | null };

export async function getMfaStatus(userId: string) {
  const prisma = await getPrisma();
  const [factor, remaining] = await Promise.all([
    prisma.mfaFactor.findFirst({ where: { userId, type: 'totp' }, select: { confirmedAt: true, createdAt: true } }),
    prisma.mfaRecoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { totpEnrolled: Boolean(factor?.confirmedAt), enrolledAt: factor?.confirmedAt ?? null, enrolmentPending: Boolean(factor && !factor.confirmedAt), recoveryCodesRemaining: remaining };
}

/** Re-authentication for removing a factor: a valid second factor or the account password. */
async function reauthenticate(tenant: Tenant, userId: string, proof: { code?: string; password?: string }, meta: Meta) {
  if (proof.code) {
    const result = await verifySecondFactor(tenant, userId, proof.code, meta);
    if (result.ok) return;
    throw new AppError('invalid_input', result.reason === 'locked' ? 'Too many attempts; try again later.' : 'That code is not valid.', { field: 'code' });
  }
  if (proof.password) {
    const prisma = await getPrisma();
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { username: true } });
    // The sign-in check itself, with its failure count and lockout: whoever holds a stolen
    // session cannot guess the password here without limit.
    const result = user ? await authenticateUser(tenant.id, user.username, proof.password, meta.ip) : null;
    if (result?.ok) return;
    throw new AppError('invalid_input', result?.reason === 'locked' ? 'Too many attempts; try again later.' : 'That password is not correct.', { field: 'password' });
  }
  throw new AppError('invalid_input', 'Enter a code from your authenticator or your password.', { field: 'code' });
}

/** The user removes their own authenticator, after re-entering a valid code or their password. */
export async function removeTotpFactor(tenant: Tenant, userId: string, proof: { code?: string; password?: string }, meta: Meta = {}) {
  await reauthenticate(tenant, userId, proof, meta);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.mfaFactor.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await recordMfaEvent(tx, { tenant, userId, what: 'totp.removed', outcome: 'success', meta });
  });
}

/** New recovery codes (shown once); every earlier code stops working. */
export async function regenerateRecoveryCodes(tenant: Tenant, userId: string, proof: { code?: string; password?: string }, meta: Meta = {}) {
  await reauthenticate(tenant, userId, proof, meta);
  const codes = generateRecoveryCodes();
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    await recordMfaEvent(tx, { tenant, userId, what: 'recovery_codes.regenerated', outcome: 'success', meta });
  });
  return codes;
}

/** Helpdesk and up: remove a user's factors; they enrol again at their next sign-in. */
export async function resetUserMfa(tenant: Tenant, userId: string, actor: Actor, meta: Meta = {}) {
  const prisma = await getPrisma();
  const user = isUuid(userId) ? await prisma.user.findFirst({ where: { id: userId, tenantId: tenant.id }, select: { id: true } }) : null;
  if (!user) throw new AppError('not_found', 'no such user in this tenant');
  await prisma.$transaction(async (tx) => {
    await tx.mfaFactor.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.user.update({ where: { id: userId }, data: { mfaFailedCount: 0, mfaLockedUntil: null } });
    // An administrator's console sessions end too: whoever holds a stolen one is evicted.
    await tx.consoleSession.deleteMany({ where: { userId } });
    await recordMfaEvent(tx, { tenant, userId, what: 'reset', outcome: 'success', actor, meta });
  });
}

/** Users with a confirmed authenticator, of all users in the tenant. */
export async function mfaAdoption(tenantId: string) {
  const prisma = await getPrisma();
  const [enrolled, total] = await Promise.all([
    prisma.mfaFactor.count({ where: { tenantId, confirmedAt: { not: null } } }),
    prisma.user.count({ where: { tenantId } }),
  ]);
  return { enrolled, total, percentage: total === 0 ? 0 : Math.round((enrolled / total) * 1000) / 10 };
}

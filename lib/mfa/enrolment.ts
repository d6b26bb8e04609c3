import QRCode from 'qrcode';
import { getPrisma } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { decryptSeed, encryptSeed, generateRecoveryCodes, hashRecoveryCode } from './repo';
import { generateTotpSecret, totpUri, verifyTotpCode } from './totp';
import { emitMfaEvent, recordMfaEvent } from './events';

type Tenant = { id: string; slug: string; displayName: string };
type Meta = { ip?: string | null; userAgent?: string | null };

/**
 * Starts (or restarts) TOTP enrolment: a fresh secret in an unconfirmed factor, which never
 * counts as a second factor until a code confirms it. Returns what the enrolment page shows.
 */
export async function startTotpEnrolment(tenant: Tenant, user: { id: string; username: string }, meta: Meta = {}) {
  const prisma = await getPrisma();
  const existing = await prisma.mfaFactor.findUnique({ where: { userId_type: { userId: user.id, type: 'totp' } } });
  if (existing?.confirmedAt) throw new AppError('conflict', 'an authenticator is already enrolled; remove it first');
  const secret = generateTotpSecret();
  const id = existing?.id ?? crypto.randomUUID();
  await prisma.mfaFactor.upsert({
    where: { userId_type: { userId: user.id, type: 'totp' } },
    create: { id, tenantId: tenant.id, userId: user.id, type: 'totp', secretEnc: encryptSeed(secret, id) },
    update: { secretEnc: encryptSeed(secret, id), lastUsedStep: null, createdAt: new Date() },
  });
  emitMfaEvent({ tenant, userId: user.id, what: 'totp.enrolment_started', outcome: 'success', meta });
  return describeEnrolment(tenant, user, secret);
}

/** The pending enrolment's QR code and manual-entry secret, for re-rendering the page. */
export async function pendingEnrolment(tenant: Tenant, user: { id: string; username: string }) {
  const prisma = await getPrisma();
  const factor = await prisma.mfaFactor.findUnique({ where: { userId_type: { userId: user.id, type: 'totp' } } });
  if (!factor || factor.confirmedAt) return null;
  return describeEnrolment(tenant, user, decryptSeed(factor.secretEnc, factor.id));
}

async function describeEnrolment(tenant: Tenant, user: { username: string }, secret: string) {
  const uri = totpUri({ issuer: tenant.displayName, label: user.username, secret });
  const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
  return { secret, uri, qrDataUrl };
}

/** Confirms enrolment with a current code; returns the 10 recovery codes, shown once. */
export async function confirmTotpEnrolment(tenant: Tenant, userId: string, code: string, meta: Meta = {}) {
  const prisma = await getPrisma();
  const factor = await prisma.mfaFactor.findUnique({ where: { userId_type: { userId, type: 'totp' } } });
  if (!factor || factor.confirmedAt) throw new AppError('invalid_input', 'no enrolment is pending; start again');
  const check = await verifyTotpCode(decryptSeed(factor.secretEnc, factor.id), code.trim(), null);
  if (!check.valid) {
    emitMfaEvent({ tenant, userId, what: 'totp.enrolment.failed', outcome: 'failure', reason: 'invalid code', meta });
    throw new AppError('invalid_input', 'That code is not valid. Check the time on your device and try the current code.', { field: 'code' });
  }
  const codes = generateRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    await tx.mfaFactor.update({ where: { id: factor.id }, data: { confirmedAt: new Date(), lastUsedStep: BigInt(check.step!) } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    await recordMfaEvent(tx, { tenant, userId, what: 'totp.enrolled', outcome: 'success', meta });
  });
  return { recoveryCodes: codes };
}

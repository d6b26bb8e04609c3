import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db';
import { decryptSecret, deriveKey, encryptSecret, hashSecret } from '@/lib/crypto';

const seedKey = () => deriveKey('mfa-totp-seeds');
const recoveryKey = () => deriveKey('mfa-recovery-codes');

export const encryptSeed = (secret: string, factorId: string) => encryptSecret(secret, seedKey(), factorId);
export const decryptSeed = (envelope: string, factorId: string) => decryptSecret(envelope, seedKey(), factorId).toString();

/** Normalises what a person types (spaces, dashes, case) before hashing. */
export const normaliseRecoveryCode = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();
export const hashRecoveryCode = (code: string) => hashSecret(normaliseRecoveryCode(code), recoveryKey());

/** Ten codes of 10 base32 characters (50 bits each), shown as xxxxx-xxxxx. */
export function generateRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from({ length: count }, () => {
    const raw = Array.from(crypto.randomBytes(10), (b) => alphabet[b % 32]).join('');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export async function findConfirmedTotp(userId: string) {
  const prisma = await getPrisma();
  return prisma.mfaFactor.findFirst({ where: { userId, type: 'totp', confirmedAt: { not: null } } });
}

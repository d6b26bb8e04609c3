import { decryptSecret, deriveKey, encryptSecret } from '@/lib/crypto';
import { readCookie } from '@/lib/http/cookies';

/**
 * A sign-in between its steps (password checked, second factor or new password still due) is
 * carried in an encrypted, authenticated cookie bound to the interaction id and scoped to its
 * path, so it cannot be moved to another interaction or outlive ten minutes.
 */
export const PENDING_COOKIE = 'iam_login_pending';
export const PENDING_TTL_SECONDS = 600;

export type PendingStage = 'change_password' | 'mfa_challenge' | 'mfa_enrol' | 'mfa_recovery_codes';

export interface PendingLogin {
  userId: string;
  stage: PendingStage;
  /** Shown once on the page after enrolment, then dropped. */
  recoveryCodes?: string[];
  exp: number;
}

const key = () => deriveKey('login-pending');

export function sealPending(uid: string, pending: Omit<PendingLogin, 'exp'>): string {
  return encryptSecret(JSON.stringify({ ...pending, exp: Date.now() + PENDING_TTL_SECONDS * 1000 }), key(), uid);
}

export function openPending(uid: string, cookieHeader: string): PendingLogin | null {
  const sealed = readCookie(cookieHeader, PENDING_COOKIE);
  if (!sealed) return null;
  try {
    const pending = JSON.parse(decryptSecret(sealed, key(), uid).toString()) as PendingLogin;
    return pending.exp > Date.now() ? pending : null;
  } catch {
    return null;
  }
}

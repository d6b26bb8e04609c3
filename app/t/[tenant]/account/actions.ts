'use server';

import { headers } from 'next/headers';
import { authenticatedRecently, getAccountSession } from '@/lib/account';
import { isAppError } from '@/lib/errors';
import { confirmTotpEnrolment, regenerateRecoveryCodes, removeTotpFactor, startTotpEnrolment } from '@/lib/mfa';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';

export interface AccountActionState {
  ok?: boolean;
  error?: string;
  enrolment?: { qrDataUrl: string; secret: string };
  recoveryCodes?: string[];
}

/** Each action re-reads the provider session (Next checks the Origin of server actions). */
async function context(slug: string) {
  const h = await headers();
  const session = await getAccountSession(slug, h.get('cookie') ?? '');
  return { session, meta: { ip: h.get(CLIENT_IP_HEADER), userAgent: h.get('user-agent') } };
}

const failure = (error: unknown): AccountActionState => {
  if (isAppError(error)) return { error: error.message };
  throw error;
};

const SIGN_IN_AGAIN = 'For your security, sign in again to set up two-step verification.';

export async function startEnrolmentAction(slug: string): Promise<AccountActionState> {
  const { session, meta } = await context(slug);
  if (!session) return { error: 'Your session has ended. Sign in again.' };
  if (!authenticatedRecently(session)) return { error: SIGN_IN_AGAIN };
  try {
    const { qrDataUrl, secret } = await startTotpEnrolment(session.tenant, session.user, meta);
    return { enrolment: { qrDataUrl, secret } };
  } catch (error) {
    return failure(error);
  }
}

export async function confirmEnrolmentAction(slug: string, _prev: AccountActionState, form: FormData): Promise<AccountActionState> {
  const { session, meta } = await context(slug);
  if (!session) return { error: 'Your session has ended. Sign in again.' };
  if (!authenticatedRecently(session)) return { error: SIGN_IN_AGAIN, enrolment: _prev.enrolment };
  try {
    const { recoveryCodes } = await confirmTotpEnrolment(session.tenant, session.user.id, String(form.get('code') ?? ''), meta);
    return { ok: true, recoveryCodes };
  } catch (error) {
    return { ...failure(error), enrolment: _prev.enrolment };
  }
}

export async function regenerateCodesAction(slug: string, _prev: AccountActionState, form: FormData): Promise<AccountActionState> {
  const { session, meta } = await context(slug);
  if (!session) return { error: 'Your session has ended. Sign in again.' };
  try {
    return { ok: true, recoveryCodes: await regenerateRecoveryCodes(session.tenant, session.user.id, { code: String(form.get('code') ?? '') || undefined }, meta) };
  } catch (error) {
    return failure(error);
  }
}

export async function removeFactorAction(slug: string, _prev: AccountActionState, form: FormData): Promise<AccountActionState> {
  const { session, meta } = await context(slug);
  if (!session) return { error: 'Your session has ended. Sign in again.' };
  try {
    await removeTotpFactor(session.tenant, session.user.id, { code: String(form.get('code') ?? '') || undefined, password: String(form.get('password') ?? '') || undefined }, meta);
    return { ok: true };
  } catch (error) {
    return failure(error);
  }
}

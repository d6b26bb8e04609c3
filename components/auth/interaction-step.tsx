import { AuthCard } from './auth-card';
import { ConsentForm } from './consent-form';
import { LoginForm } from './login-form';
import { ChangePasswordForm, MfaChallengeForm, MfaEnrolForm, RecoveryCodesNotice } from './step-forms';
import type { InteractionView } from '@/lib/oidc';

/**
 * One step of the sign-in interaction (password, new password, second factor, consent) as the
 * page shows it. Rendered by the custom server straight to HTML (lib/http/interaction-page.tsx)
 * and, under `next dev`, by the Pages Router page (pages/t/[tenant]/interaction/[uid].tsx).
 */

// One generic message whatever went wrong with the credentials: no user enumeration.
const ERRORS: Record<string, string> = {
  invalid_credentials: 'Incorrect username or password.',
  invalid_request: 'This form has expired. Please try again.',
  expired: 'This sign-in request has expired. Return to the application and start again.',
  weak_password: 'That password cannot be used. Choose a longer one, different from the temporary password.',
  password_mismatch: 'The passwords do not match.',
  mfa_invalid: 'That code is not valid. Check the time on your device and try the current code.',
  mfa_replayed: 'That code was already used. Wait for the next code.',
  mfa_locked: 'Too many attempts. Wait a few minutes before trying again.',
  rate_limited: 'Too many sign-in attempts. Wait a few minutes before trying again.',
  mfa_unavailable: 'This sign-in needs a second factor, and this account has none. Contact your administrator.',
};

/** The message for the ?error= code the last form post redirected with, if any. */
export function interactionMessage(code: string | undefined): string | null {
  return code ? (ERRORS[code] ?? ERRORS.invalid_request) : null;
}

export const interactionTitle = (view: InteractionView) => (view.kind === 'missing' ? 'Sign in' : `${TITLES[view.kind]} · ${view.tenantName}`);

const TITLES: Record<Exclude<InteractionView['kind'], 'missing'>, string> = {
  login: 'Sign in',
  change_password: 'Choose a new password',
  mfa_challenge: 'Two-step verification',
  mfa_enrol: 'Set up two-step verification',
  mfa_recovery_codes: 'Save your recovery codes',
  consent: 'Authorize access',
};

export function InteractionStep({ view, base, message }: { view: InteractionView; base: string; message?: string }) {
  switch (view.kind) {
    case 'missing':
      return (
        <AuthCard tenantName="Sign in" title="This sign-in request has expired">
          <p className="text-sm text-slate-600">Return to the application you came from and start signing in again.</p>
        </AuthCard>
      );
    case 'login':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.login}>
          <LoginForm action={`${base}/login`} abortAction={`${base}/abort`} csrf={view.csrf} clientName={view.clientName} loginHint={view.loginHint} error={message} />
        </AuthCard>
      );
    case 'change_password':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.change_password}>
          <ChangePasswordForm action={`${base}/password`} csrf={view.csrf} minLength={view.minLength} error={message} />
        </AuthCard>
      );
    case 'mfa_challenge':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.mfa_challenge}>
          <MfaChallengeForm action={`${base}/mfa`} abortAction={`${base}/abort`} csrf={view.csrf} error={message} stepUp={view.stepUp} />
        </AuthCard>
      );
    case 'mfa_enrol':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.mfa_enrol}>
          <MfaEnrolForm action={`${base}/enrol`} csrf={view.csrf} qrDataUrl={view.qrDataUrl} secret={view.secret} error={message} />
        </AuthCard>
      );
    case 'mfa_recovery_codes':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.mfa_recovery_codes}>
          <RecoveryCodesNotice action={`${base}/continue`} csrf={view.csrf} codes={view.codes} />
        </AuthCard>
      );
    case 'consent':
      return (
        <AuthCard tenantName={view.tenantName} title={TITLES.consent}>
          <ConsentForm action={`${base}/consent`} csrf={view.csrf} clientName={view.clientName} scopes={view.scopes} claims={view.claims} resources={view.resources} />
        </AuthCard>
      );
  }
}

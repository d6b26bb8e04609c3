import { headers } from 'next/headers';
import { AuthCard } from '@/components/auth/auth-card';
import { ConsentForm } from '@/components/auth/consent-form';
import { LoginForm } from '@/components/auth/login-form';
import { ChangePasswordForm, MfaChallengeForm, MfaEnrolForm, RecoveryCodesNotice } from '@/components/auth/step-forms';
import { describeInteraction } from '@/lib/oidc';

export const dynamic = 'force-dynamic';

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
};

export default async function InteractionPage({ params, searchParams }: { params: Promise<{ tenant: string; uid: string }>; searchParams: Promise<{ error?: string }> }) {
  const { tenant, uid } = await params;
  const { error } = await searchParams;
  const view = await describeInteraction(tenant, uid, (await headers()).get('cookie') ?? '');
  const base = `/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;
  const message = error ? (ERRORS[error] ?? ERRORS.invalid_request) : undefined;

  switch (view.kind) {
    case 'missing':
      return (
        <AuthCard tenantName="Sign in" title="This sign-in request has expired">
          <p className="text-sm text-slate-600">Return to the application you came from and start signing in again.</p>
        </AuthCard>
      );
    case 'login':
      return (
        <AuthCard tenantName={view.tenantName} title="Sign in">
          <LoginForm action={`${base}/login`} abortAction={`${base}/abort`} csrf={view.csrf} clientName={view.clientName} loginHint={view.loginHint} error={message} />
        </AuthCard>
      );
    case 'change_password':
      return (
        <AuthCard tenantName={view.tenantName} title="Choose a new password">
          <ChangePasswordForm action={`${base}/password`} csrf={view.csrf} minLength={view.minLength} error={message} />
        </AuthCard>
      );
    case 'mfa_challenge':
      return (
        <AuthCard tenantName={view.tenantName} title="Two-step verification">
          <MfaChallengeForm action={`${base}/mfa`} abortAction={`${base}/abort`} csrf={view.csrf} error={message} stepUp={view.stepUp} />
        </AuthCard>
      );
    case 'mfa_enrol':
      return (
        <AuthCard tenantName={view.tenantName} title="Set up two-step verification">
          <MfaEnrolForm action={`${base}/enrol`} csrf={view.csrf} qrDataUrl={view.qrDataUrl} secret={view.secret} error={message} />
        </AuthCard>
      );
    case 'mfa_recovery_codes':
      return (
        <AuthCard tenantName={view.tenantName} title="Save your recovery codes">
          <RecoveryCodesNotice action={`${base}/continue`} csrf={view.csrf} codes={view.codes} />
        </AuthCard>
      );
    case 'consent':
      return (
        <AuthCard tenantName={view.tenantName} title="Authorize access">
          <ConsentForm action={`${base}/consent`} csrf={view.csrf} clientName={view.clientName} scopes={view.scopes} claims={view.claims} resources={view.resources} />
        </AuthCard>
      );
  }
}

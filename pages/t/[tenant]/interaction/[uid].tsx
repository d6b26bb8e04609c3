import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { AuthCard } from '@/components/auth/auth-card';
import { ConsentForm } from '@/components/auth/consent-form';
import { LoginForm } from '@/components/auth/login-form';
import { ChangePasswordForm, MfaChallengeForm, MfaEnrolForm, RecoveryCodesNotice } from '@/components/auth/step-forms';
import { describeInteraction, type InteractionView } from '@/lib/oidc';

/**
 * The sign-in interaction page (password, new password, second factor, consent), server-rendered
 * on every request. It lives in the Pages Router rather than the App Router because it is on the
 * hot path of every sign-in and needs nothing the App Router adds: it is a plain form page with
 * no client JavaScript. Measured on this machine, the App Router rendered it in ≈ 6 ms of CPU,
 * the Pages Router in ≈ 2 ms (the page's whole request: 10.2 → 5.8 ms, bench/step-latency.ts).
 * Its /_next/data JSON twin carries no interaction cookie (that cookie is scoped to this path),
 * so it can only ever describe an expired sign-in.
 */

// No client runtime: the forms post natively, so the page ships without Next's JavaScript.
export const config = { runtime: 'nodejs', unstable_runtimeJS: false };

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

interface Props {
  view: InteractionView;
  /** The form posts' base path. */
  base: string;
  /** The message for the ?error= the last post redirected with, if any. */
  message: string | null;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const getServerSideProps: GetServerSideProps<Props> = async ({ params, query, req }) => {
  const tenant = String(params?.tenant);
  const uid = String(params?.uid);
  const error = first(query.error);
  const view = await describeInteraction(tenant, uid, req.headers.cookie ?? '');
  return {
    props: {
      // Props travel as JSON: optional fields that are undefined are dropped rather than refused.
      view: JSON.parse(JSON.stringify(view)) as InteractionView,
      base: `/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`,
      message: error ? (ERRORS[error] ?? ERRORS.invalid_request) : null,
    },
  };
};

export default function InteractionPage({ view, base, message }: Props) {
  return (
    <>
      <Head>
        <title>{view.kind === 'missing' ? 'Sign in' : `${TITLES[view.kind]} · ${view.tenantName}`}</title>
      </Head>
      <InteractionStep view={view} base={base} message={message ?? undefined} />
    </>
  );
}

const TITLES: Record<Exclude<InteractionView['kind'], 'missing'>, string> = {
  login: 'Sign in',
  change_password: 'Choose a new password',
  mfa_challenge: 'Two-step verification',
  mfa_enrol: 'Set up two-step verification',
  mfa_recovery_codes: 'Save your recovery codes',
  consent: 'Authorize access',
};

function InteractionStep({ view, base, message }: { view: InteractionView; base: string; message?: string }) {
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

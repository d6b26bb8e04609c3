import { headers } from 'next/headers';
import { AuthCard } from '@/components/auth/auth-card';
import { ConsentForm } from '@/components/auth/consent-form';
import { LoginForm } from '@/components/auth/login-form';
import { describeInteraction } from '@/lib/oidc';

export const dynamic = 'force-dynamic';

// One generic message whatever went wrong with the credentials: no user enumeration.
const ERRORS: Record<string, string> = {
  invalid_credentials: 'Incorrect username or password.',
  invalid_request: 'This form has expired. Please try again.',
  expired: 'This sign-in request has expired. Return to the application and start again.',
};

export default async function InteractionPage({ params, searchParams }: { params: Promise<{ tenant: string; uid: string }>; searchParams: Promise<{ error?: string }> }) {
  const { tenant, uid } = await params;
  const { error } = await searchParams;
  const view = await describeInteraction(tenant, uid, (await headers()).get('cookie') ?? '');
  const base = `/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;

  if (view.kind === 'missing') {
    return (
      <AuthCard tenantName="Sign in" title="This sign-in request has expired">
        <p className="text-sm text-slate-600">Return to the application you came from and start signing in again.</p>
      </AuthCard>
    );
  }
  if (view.kind === 'login') {
    return (
      <AuthCard tenantName={view.tenantName} title="Sign in">
        <LoginForm action={`${base}/login`} abortAction={`${base}/abort`} csrf={view.csrf} clientName={view.clientName} loginHint={view.loginHint} error={error ? (ERRORS[error] ?? ERRORS.invalid_request) : undefined} />
      </AuthCard>
    );
  }
  return (
    <AuthCard tenantName={view.tenantName} title="Authorize access">
      <ConsentForm action={`${base}/consent`} csrf={view.csrf} clientName={view.clientName} scopes={view.scopes} claims={view.claims} resources={view.resources} />
    </AuthCard>
  );
}

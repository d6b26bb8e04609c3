import { headers } from 'next/headers';
import { AuthCard } from '@/components/auth/auth-card';
import { EnrolPanel, ManagePanel } from '@/components/account/mfa-panel';
import { authenticatedRecently, getAccountSession } from '@/lib/account';
import { getMfaStatus, mfaOffered } from '@/lib/mfa';
import { issuerFor } from '@/lib/oidc';
import { confirmEnrolmentAction, regenerateCodesAction, removeFactorAction, startEnrolmentAction } from './actions';

export const dynamic = 'force-dynamic';

/** Self-service account page of a tenant: two-step verification (TOTP) and recovery codes. */
export default async function AccountPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await getAccountSession(tenant, (await headers()).get('cookie') ?? '');
  if (!session) {
    return (
      <AuthCard tenantName="Your account" title="Sign in to manage your account">
        <a href={`/t/${encodeURIComponent(tenant)}/account/login`} className="inline-block rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
          Sign in
        </a>
      </AuthCard>
    );
  }
  const mfaEnabled = mfaOffered(session.tenant);
  const status = await getMfaStatus(session.user.id);
  return (
    <AuthCard tenantName={session.tenant.displayName} title="Your account">
      <p className="text-sm text-slate-600">
        Signed in as <strong>{session.user.name ?? session.user.username}</strong>
      </p>
      <section className="mt-6 space-y-3" aria-labelledby="mfa-heading">
        <h2 id="mfa-heading" className="text-lg font-semibold">
          Two-step verification
        </h2>
        {!mfaEnabled ? (
          <p className="text-sm text-slate-600">Two-step verification is not available for this organisation.</p>
        ) : status.totpEnrolled ? (
          <ManagePanel regenerate={regenerateCodesAction.bind(null, tenant)} remove={removeFactorAction.bind(null, tenant)} recoveryCodesRemaining={status.recoveryCodesRemaining} />
        ) : !authenticatedRecently(session) ? (
          <p className="text-sm text-slate-600">
            To set up two-step verification, first{' '}
            <a href={`/t/${encodeURIComponent(tenant)}/account/login`} className="text-indigo-700 underline">
              sign in again
            </a>
            .
          </p>
        ) : (
          <EnrolPanel start={startEnrolmentAction.bind(null, tenant)} confirm={confirmEnrolmentAction.bind(null, tenant)} />
        )}
      </section>
      <a href={`${issuerFor(tenant)}/session/end`} className="mt-6 inline-block text-sm text-indigo-700 underline">
        Sign out
      </a>
    </AuthCard>
  );
}

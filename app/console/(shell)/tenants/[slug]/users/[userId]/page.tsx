import { notFound } from 'next/navigation';
import { can } from '@/lib/authz';
import { listAuditEvents } from '@/lib/audit';
import { isAppError } from '@/lib/errors';
import { getMfaStatus } from '@/lib/mfa';
import { getUserOrThrowDto, listUserSessionsAndGrants } from '@/lib/users';
import { ActionForm } from '@/components/ui/action-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { OutcomeBadge } from '@/components/console/outcome-badge';
import { TemporaryPasswordForm, UserProfileForm } from '@/components/console/user-forms';
import { UserStatusBadges } from '@/components/console/user-status';
import { requireTenantPage } from '../../../../_lib/tenant-access';
import { deleteUserAction, resetUserMfaAction, revokeGrantAction, revokeSessionAction, setTemporaryPasswordAction, setUserDisabledAction, unlockUserAction, updateUserAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function UserPage({ params, searchParams }: { params: Promise<{ slug: string; userId: string }>; searchParams: Promise<{ created?: string }> }) {
  const { slug, userId } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'user.read', `/console/tenants/${slug}/users/${userId}`);
  let user: Awaited<ReturnType<typeof getUserOrThrowDto>>;
  try {
    user = await getUserOrThrowDto(tenant.id, userId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const may = (p: 'user.write' | 'user.support' | 'audit.read') => can(identity.principal, p, tenant.id);
  // A user's own security events help whoever supports them; other events stay in the audit log.
  const mayReadEvents = may('audit.read') || may('user.support');
  const [{ sessions, grants }, mfa, events] = await Promise.all([
    listUserSessionsAndGrants(tenant.id, user.id),
    getMfaStatus(user.id),
    mayReadEvents ? listAuditEvents({ tenantId: tenant.id, subject: user.id, limit: 20 }, [tenant.id]) : Promise.resolve(null),
  ]);
  const hidden = { slug: tenant.slug, userId: user.id };
  const created = (await searchParams).created === '1';
  const minLength = tenant.settings.passwordMinLength ?? 8;
  return (
    <>
      <PageHeader
        title={user.name ?? user.username}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{user.username}</span>
            <UserStatusBadges user={user} />
          </span>
        }
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { href: `/console/tenants/${tenant.slug}/users`, label: 'Users' }, { label: user.username }]}
      />
      {created && (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          User created.
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Profile" className="lg:col-span-2" description={may('user.write') ? 'Claims released to applications (email, email_verified, name).' : 'Read only: your role cannot edit profiles.'}>
          <UserProfileForm action={updateUserAction} tenantSlug={tenant.slug} user={{ id: user.id, email: user.email, emailVerified: user.emailVerified, name: user.name }} readOnly={!may('user.write')} />
        </Card>
        <Card title="Account">
          <dl className="space-y-2 text-sm">
            <div className="flex justify-between gap-2">
              <dt className="text-slate-500">Created</dt>
              <dd>{formatDateTime(user.createdAt)}</dd>
            </div>
            <div className="flex justify-between gap-2">
              <dt className="text-slate-500">Last sign-in</dt>
              <dd>{formatDateTime(user.lastLoginAt)}</dd>
            </div>
            <div className="flex justify-between gap-2">
              <dt className="text-slate-500">Failed sign-ins</dt>
              <dd className="tabular-nums">{user.failedLoginCount}</dd>
            </div>
            {user.locked && (
              <div className="flex justify-between gap-2">
                <dt className="text-slate-500">Locked until</dt>
                <dd>{formatDateTime(user.lockedUntil)}</dd>
              </div>
            )}
            <div className="flex justify-between gap-2">
              <dt className="text-slate-500">Second factor</dt>
              <dd data-testid="mfa-status" aria-live="polite">{mfa.totpEnrolled ? `authenticator app, ${mfa.recoveryCodesRemaining} recovery codes left` : mfa.enrolmentPending ? 'enrolment not finished' : 'none'}</dd>
            </div>
          </dl>
          {may('user.support') && (
            <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-4">
              {user.locked && <ActionForm action={unlockUserAction} hidden={hidden} label="Unlock" />}
              {(mfa.totpEnrolled || mfa.enrolmentPending) && (
                <ActionForm
                  action={resetUserMfaAction}
                  hidden={hidden}
                  label="Reset MFA"
                  variant="dangerOutline"
                  confirm={{ title: `Reset ${user.username}'s second factor?`, body: <p>Their authenticator and recovery codes are removed. Where the tenant requires MFA, they set up a new authenticator at their next sign-in. Do this only after verifying who is asking.</p>, confirmLabel: 'Reset MFA' }}
                />
              )}
              {user.disabled ? (
                <ActionForm action={setUserDisabledAction} hidden={{ ...hidden, disabled: 'false' }} label="Enable user" />
              ) : (
                <ActionForm
                  action={setUserDisabledAction}
                  hidden={{ ...hidden, disabled: 'true' }}
                  label="Disable user"
                  variant="dangerOutline"
                  confirm={{ title: `Disable ${user.username}?`, body: <p>The user cannot sign in, and every session and grant ends now (their refresh tokens stop working).</p>, confirmLabel: 'Disable user' }}
                />
              )}
            </div>
          )}
        </Card>
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title={`Sessions and grants (${sessions.length + grants.length})`} className="lg:col-span-2">
          <h3 className="mb-2 text-sm font-semibold text-slate-700">Sessions</h3>
          {sessions.length === 0 ? (
            <p className="mb-4 text-sm text-slate-600">No active sessions.</p>
          ) : (
            <Table caption="Sessions" head={['Signed in', 'Applications', 'Expires', '']}>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td className={`${cellStyles} whitespace-nowrap`}>{formatDateTime(s.signedInAt)}</td>
                  <td className={`${cellStyles} font-mono text-xs`}>{s.clients.join(', ') || '—'}</td>
                  <td className={`${cellStyles} whitespace-nowrap`}>{formatDateTime(s.expiresAt)}</td>
                  <td className={`${cellStyles} text-right`}>
                    {may('user.support') && <ActionForm action={revokeSessionAction} hidden={{ ...hidden, sessionId: s.id }} label="End session" variant="dangerOutline" confirm={{ title: 'End this session?', body: <p>The user is signed out of the provider on that device; applications ask them to sign in again.</p>, confirmLabel: 'End session' }} />}
                  </td>
                </tr>
              ))}
            </Table>
          )}
          <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-700">Grants</h3>
          {grants.length === 0 ? (
            <p className="text-sm text-slate-600">No grants.</p>
          ) : (
            <Table caption="Grants" head={['Application', 'Scopes', 'Granted', '']}>
              {grants.map((g) => (
                <tr key={g.id}>
                  <td className={`${cellStyles} font-mono text-xs`}>{g.clientId}</td>
                  <td className={`${cellStyles} font-mono text-xs`}>{g.scope || '—'}</td>
                  <td className={`${cellStyles} whitespace-nowrap`}>{formatDateTime(g.issuedAt)}</td>
                  <td className={`${cellStyles} text-right`}>
                    {may('user.support') && <ActionForm action={revokeGrantAction} hidden={{ ...hidden, grantId: g.id }} label="Revoke" variant="dangerOutline" confirm={{ title: 'Revoke this grant?', body: <p>Every token issued under it stops working, and the application must ask for consent again.</p>, confirmLabel: 'Revoke grant' }} />}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        {may('user.support') && (
          <Card title="Temporary password">
            <TemporaryPasswordForm action={setTemporaryPasswordAction} tenantSlug={tenant.slug} userId={user.id} passwordMinLength={minLength} />
          </Card>
        )}
      </div>

      {events && (
        <Card title="Recent security events" className="mt-6" description="The latest 20 events about this user.">
          {events.events.length === 0 ? (
            <p className="text-sm text-slate-600">No events yet.</p>
          ) : (
            <Table caption="Recent security events" head={['Time', 'Event', 'Outcome', 'Actor', 'IP', 'Reason']}>
              {events.events.map((e) => (
                <tr key={e.id}>
                  <td className={`${cellStyles} whitespace-nowrap`}>{formatDateTime(e.time)}</td>
                  <td className={`${cellStyles} font-mono text-xs`}>{e.type}</td>
                  <td className={cellStyles}>
                    <OutcomeBadge outcome={e.outcome} />
                  </td>
                  <td className={`${cellStyles} text-xs`}>{e.actorType}</td>
                  <td className={`${cellStyles} font-mono text-xs`}>{e.ip ?? '—'}</td>
                  <td className={`${cellStyles} text-xs text-slate-600`}>{e.reason ?? ''}</td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      )}

      {may('user.write') && (
        <Card title="Delete user" className="mt-6">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="max-w-xl text-sm text-slate-600">Deletes the account, its sessions and grants. Audit events about the user stay.</p>
            <ActionForm action={deleteUserAction} hidden={hidden} label="Delete user" variant="danger" confirm={{ title: `Delete ${user.username}?`, body: <p>This cannot be undone. The user is signed out everywhere and the account is removed.</p>, confirmLabel: 'Delete user' }} />
          </div>
        </Card>
      )}
    </>
  );
}

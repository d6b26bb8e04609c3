import Link from 'next/link';
import { listRoleBindings, ROLE_DESCRIPTIONS, roles } from '@/lib/authz';
import { findAdminTenant, listTenants } from '@/lib/tenants';
import { listUsers } from '@/lib/users';
import { requireConsoleIdentity, requirePermission } from '@/lib/http/console-auth';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { RoleGrantForm } from '@/components/console/role-grant-form';
import { grantRoleAction, revokeRoleAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function AdminsPage() {
  const identity = await requireConsoleIdentity('/console/admins');
  await requirePermission(identity, 'admin.manage', null);
  const adminTenant = await findAdminTenant();
  const [bindings, tenants, admins] = await Promise.all([listRoleBindings(), listTenants('all'), adminTenant ? listUsers(adminTenant.id, { limit: 200 }) : Promise.resolve({ users: [] })]);
  // The last all-tenant owner cannot be revoked (the service refuses too): say so instead.
  const owners = bindings.filter((b) => b.role === 'owner' && b.tenant === null && b.user).length;
  return (
    <>
      <PageHeader
        title="Administrators"
        description="Who may use this console, with which role, for which tenants. Administrators are users of the admin tenant and sign in through it."
        crumbs={[{ href: '/console', label: 'Console' }, { label: 'Administrators' }]}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={`Role bindings (${bindings.length})`} className="lg:col-span-2">
          <Table caption="Role bindings" head={['Administrator', 'Role', 'Scope', 'Granted', '']}>
            {bindings.map((b) => (
              <tr key={b.id} data-testid={`binding-${b.user?.username ?? b.clientId}-${b.role}`}>
                <td className={cellStyles}>
                  {b.user ? (
                    <>
                      <span className="font-medium">{b.user.username}</span>
                      {b.user.name && <span className="block text-xs text-slate-500">{b.user.name}</span>}
                    </>
                  ) : (
                    <>
                      <span className="font-mono text-xs">{b.clientId}</span>
                      <span className="block text-xs text-slate-500">API client</span>
                    </>
                  )}
                </td>
                <td className={cellStyles}>
                  <Badge tone={b.role === 'owner' ? 'indigo' : b.role === 'admin' ? 'blue' : 'gray'}>{b.role}</Badge>
                </td>
                <td className={cellStyles}>{b.tenant ? <span className="font-mono text-xs">{b.tenant.slug}</span> : 'All tenants'}</td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(b.createdAt).slice(0, 10)}</td>
                <td className={`${cellStyles} text-right`}>
                  {b.role === 'owner' && b.tenant === null && b.user && owners <= 1 ? (
                    <span className="text-xs text-slate-500">the last owner</span>
                  ) : (
                    <ActionForm
                      action={revokeRoleAction}
                      hidden={{ bindingId: b.id }}
                      label="Revoke"
                      variant="dangerOutline"
                      align="end"
                      confirm={{ title: `Revoke ${b.role} from ${b.user?.username ?? b.clientId}?`, body: <p>The administrator loses this role at their next request. Their other roles stay.</p>, confirmLabel: 'Revoke role' }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </Card>
        <div className="space-y-6">
          <Card title="Grant a role">
            <RoleGrantForm
              action={grantRoleAction}
              roles={roles.map((r) => ({ value: r, label: r, description: ROLE_DESCRIPTIONS[r] }))}
              tenants={tenants.map((t) => ({ slug: t.slug, displayName: t.displayName }))}
              administrators={admins.users.map((u) => u.username)}
            />
          </Card>
          {adminTenant && (
            <p className="text-sm text-slate-600">
              To add an administrator, first{' '}
              <Link href={`/console/tenants/${adminTenant.slug}/users/new`} className="font-medium text-indigo-700 hover:underline">
                create their user in the admin tenant
              </Link>
              , then grant them a role here.
            </p>
          )}
        </div>
      </div>
    </>
  );
}

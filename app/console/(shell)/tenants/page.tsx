import Link from 'next/link';
import { can, tenantScope } from '@/lib/authz';
import { listTenants } from '@/lib/tenants';
import { issuerFor } from '@/lib/oidc';
import { requireConsoleIdentity, requirePermission } from '@/lib/http/console-auth';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime, formatNumber } from '@/components/console/format';
import { TenantCreateForm } from '@/components/console/tenant-create-form';
import { createTenantAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function TenantsPage() {
  const identity = await requireConsoleIdentity('/console/tenants');
  const scope = tenantScope(identity.principal, 'tenant.read');
  if (scope !== 'all' && scope.length === 0) await requirePermission(identity, 'tenant.read', null);
  const tenants = await listTenants(scope);
  const mayCreate = can(identity.principal, 'tenant.create');
  return (
    <>
      <PageHeader title="Tenants" description="Each tenant is its own OpenID Provider (issuer) with its own users, applications and signing keys." crumbs={[{ href: '/console', label: 'Console' }, { label: 'Tenants' }]} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={`All tenants (${tenants.length})`} className="lg:col-span-2">
          <Table caption="Tenants" head={['Tenant', 'Issuer', 'Users', 'Apps', 'Status', 'Created']}>
            {tenants.map((t) => (
              <tr key={t.id} data-testid={`tenant-row-${t.slug}`}>
                <td className={cellStyles}>
                  <Link href={`/console/tenants/${t.slug}`} className="font-medium text-indigo-700 hover:underline">
                    {t.displayName}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{t.slug}</div>
                </td>
                <td className={`${cellStyles} font-mono text-xs text-slate-600`}>{issuerFor(t.slug).replace(/^https?:\/\//, '')}</td>
                <td className={`${cellStyles} tabular-nums`}>{formatNumber(t.userCount)}</td>
                <td className={`${cellStyles} tabular-nums`}>{formatNumber(t.clientCount)}</td>
                <td className={cellStyles}>
                  <div className="flex gap-1">
                    {t.isAdmin && <Badge tone="indigo">admin</Badge>}
                    {t.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
                  </div>
                </td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(t.createdAt).slice(0, 10)}</td>
              </tr>
            ))}
          </Table>
        </Card>
        {mayCreate ? (
          <Card title="Create a tenant" description="A new issuer with fresh signing keys." id="create">
            <TenantCreateForm action={createTenantAction} />
          </Card>
        ) : (
          <Card title="Create a tenant">
            <p className="text-sm text-slate-600">Creating tenants needs the owner or admin role for all tenants.</p>
          </Card>
        )}
      </div>
    </>
  );
}

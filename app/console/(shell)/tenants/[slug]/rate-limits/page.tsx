import { can } from '@/lib/authz';
import { listPolicies, type Policy } from '@/lib/ratelimit';
import { listUsers } from '@/lib/users';
import { listAuditEvents } from '@/lib/audit';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { PolicyForm } from '@/components/ratelimit/policy-form';
import { requireTenantPage } from '../../../_lib/tenant-access';
import { createPolicyAction, deletePolicyAction } from './actions';

export const dynamic = 'force-dynamic';

function PolicyRow({ policy, action }: { policy: Policy; action?: React.ReactNode }) {
  return (
    <tr>
      <td className={cellStyles}>{policy.endpoint}</td>
      <td className={cellStyles}>{policy.keyType}</td>
      <td className={`${cellStyles} tabular-nums`}>
        {policy.limit} / {policy.windowSeconds}s
      </td>
      <td className={cellStyles}>{policy.action === 'reject' ? 'reject (429)' : 'require MFA'}</td>
      <td className={cellStyles}>{action ?? <Badge tone="gray">default</Badge>}</td>
    </tr>
  );
}

export default async function RateLimitsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'tenant.read', `/console/tenants/${slug}/rate-limits`);
  const mayEdit = can(identity.principal, 'tenant.update', tenant.id);
  const [{ stored, defaults }, locked, recent] = await Promise.all([
    listPolicies(tenant.id),
    can(identity.principal, 'user.read', tenant.id) ? listUsers(tenant.id, { status: 'locked', limit: 20 }) : Promise.resolve(null),
    can(identity.principal, 'audit.read', tenant.id) ? listAuditEvents({ tenantId: tenant.id, type: 'ratelimit.exceeded', limit: 10 }) : Promise.resolve(null),
  ]);
  const overridden = new Set(stored.map((p) => `${p.endpoint}:${p.keyType}`));
  const head = ['Endpoint', 'Counted per', 'Limit', 'When exceeded', ''];
  return (
    <>
      <PageHeader
        title="Rate limits and lockouts"
        description="Limits are enforced for every request before any expensive work, with counters shared by every instance. A tenant policy replaces the default for the same endpoint and key."
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'Rate limits' }]}
      />
      <div className="space-y-6">
        <Card title="Policies in force">
          <Table caption="Rate-limit policies in force" head={head}>
            {stored.map((p) => (
              <PolicyRow
                key={p.id}
                policy={p}
                action={mayEdit ? <ActionForm action={deletePolicyAction} hidden={{ slug: tenant.slug, id: p.id }} label="Remove" confirm={{ title: 'Remove this policy?', body: 'The default policy for this endpoint applies again within seconds.' }} /> : <Badge tone="indigo">tenant</Badge>}
              />
            ))}
            {defaults
              .filter((p) => !overridden.has(`${p.endpoint}:${p.keyType}`))
              .map((p) => (
                <PolicyRow key={p.id} policy={p} />
              ))}
          </Table>
        </Card>
        {mayEdit && (
          <Card title="Add a policy">
            <PolicyForm action={createPolicyAction} slug={tenant.slug} />
          </Card>
        )}
        {locked && (
          <Card title="Locked accounts">
            {locked.users.length === 0 ? (
              <p className="text-sm text-slate-600">No account is locked.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm">
                {locked.users.map((u) => (
                  <li key={u.id} className="flex items-center justify-between py-2">
                    <a className="font-medium text-indigo-700 hover:underline" href={`/console/tenants/${tenant.slug}/users/${u.id}`}>
                      {u.username}
                    </a>
                    <span className="text-slate-500">unlock from the user&apos;s page</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {recent && (
          <Card title="Recent rejections">
            {recent.events.length === 0 ? (
              <p className="text-sm text-slate-600">No request was refused recently.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm">
                {recent.events.map((e) => (
                  <li key={e.id} className="flex flex-wrap justify-between gap-2 py-2">
                    <span className="font-mono text-xs">{e.ip}</span>
                    <span>{e.reason}</span>
                    <span className="text-slate-500">{formatDateTime(e.time)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
      </div>
    </>
  );
}

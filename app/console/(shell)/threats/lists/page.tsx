import { listTenants } from '@/lib/tenants';
import { listManualIocs, listPolicies } from '@/lib/threats';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { cellStyles, Table } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { IocForm, PolicyForm, type ScopeOption } from '@/components/threats/ioc-form';
import { addIocAction, removeIocAction, setPolicyAction } from '../actions';
import { requireThreatReader } from '../_lib/access';

export const dynamic = 'force-dynamic';

export default async function ThreatListsPage() {
  const { scope, canWriteGlobal, writableTenants } = await requireThreatReader('/console/threats/lists');
  const [entries, policies, tenants] = await Promise.all([listManualIocs(scope), listPolicies(), listTenants(scope)]);
  const slugOf = new Map(tenants.map((t) => [t.id, t.slug]));
  const mayWrite = (tenantId: string | null) => (tenantId === null ? canWriteGlobal : writableTenants === 'all' || writableTenants.includes(tenantId));
  const scopes: ScopeOption[] = [
    ...(canWriteGlobal ? [{ value: '', label: 'Every tenant (global)' }] : []),
    ...tenants.filter((t) => mayWrite(t.id)).map((t) => ({ value: t.id, label: `Tenant ${t.slug}` })),
  ];
  const global = policies.find((p) => p.scope === 'global');
  const overrides = policies.filter((p) => p.scope !== 'global' && slugOf.has(p.scope));
  const list = (which: 'allow' | 'deny') => entries.filter((e) => e.list === which);
  const entryTable = (which: 'allow' | 'deny') => (
    <Table caption={`${which} list`} head={['Entry', 'Applies to', 'Reason', 'Expires', 'Added by', '']} empty={list(which).length === 0 ? <p className="py-3 text-sm text-slate-600">No entries.</p> : undefined}>
      {list(which).map((e) => (
        <tr key={e.id} data-testid={`ioc-${e.value}`}>
          <td className={`${cellStyles} font-mono text-xs`}>
            {e.value}
            <span className="block font-sans text-slate-500">{e.kind === 'ip' ? 'address / network' : 'domain and subdomains'}</span>
          </td>
          <td className={cellStyles}>{e.tenantId ? <span className="font-mono text-xs">{slugOf.get(e.tenantId) ?? e.tenantId}</span> : 'Every tenant'}</td>
          <td className={`${cellStyles} max-w-xs text-slate-700`}>{e.reason}</td>
          <td className={`${cellStyles} whitespace-nowrap`}>{e.expiresAt ? e.expired ? <Badge tone="gray">expired</Badge> : formatDateTime(e.expiresAt) : 'Never'}</td>
          <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>
            {e.createdBy}
            <span className="block text-xs">{formatDateTime(e.createdAt)}</span>
          </td>
          <td className={`${cellStyles} text-right`}>
            {mayWrite(e.tenantId) && (
              <ActionForm action={removeIocAction} hidden={{ entryId: e.id }} label="Remove" variant="dangerOutline" confirm={{ title: `Remove ${e.value} from the ${which} list?`, body: <p>It stops applying on every instance within seconds.</p>, confirmLabel: 'Remove' }} />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
  return (
    <>
      <PageHeader
        title="Allow and deny lists"
        description="Manual IOCs: addresses, networks (CIDR or ranges, IPv4 and IPv6) and domains, for every tenant or one. The allow list wins over every deny list and feed."
        crumbs={[{ href: '/console', label: 'Console' }, { href: '/console/threats', label: 'Threat intelligence' }, { label: 'Allow / deny lists' }]}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title={`Deny list (${list('deny').length})`}>{entryTable('deny')}</Card>
          <Card title={`Allow list (${list('allow').length})`}>{entryTable('allow')}</Card>
          <Card title="Policy" description="What a match does. Tenants inherit the global default unless they override it; a feed may carry its own action (e.g. challenge for Tor exits).">
            <dl className="mb-4 grid gap-2 text-sm sm:grid-cols-3">
              <dt className="font-medium text-slate-700">Global default</dt>
              <dd className="sm:col-span-2" data-testid="global-policy">
                addresses: <Badge tone="indigo">{global?.ipAction ?? 'block'}</Badge> · domains: <Badge tone="indigo">{global?.domainAction ?? 'block'}</Badge>
              </dd>
              {overrides.map((p) => (
                <div key={p.scope} className="contents">
                  <dt className="font-mono text-xs text-slate-700">{slugOf.get(p.scope)}</dt>
                  <dd className="sm:col-span-2">
                    addresses: <Badge>{p.ipAction ?? 'inherit'}</Badge> · domains: <Badge>{p.domainAction ?? 'inherit'}</Badge>
                  </dd>
                </div>
              ))}
            </dl>
          </Card>
        </div>
        <div className="space-y-6">
          {scopes.length > 0 ? (
            <>
              <Card title="Add an entry">
                <IocForm action={addIocAction} scopes={scopes} />
              </Card>
              <Card title="Set a policy">
                <PolicyForm action={setPolicyAction} scopes={scopes} initial={canWriteGlobal ? { tenantId: '', ipAction: global?.ipAction ?? 'block', domainAction: global?.domainAction ?? 'block' } : undefined} />
              </Card>
            </>
          ) : (
            <p className="text-sm text-slate-600">You can read these lists; changing them needs the tenant.update permission.</p>
          )}
        </div>
      </div>
    </>
  );
}

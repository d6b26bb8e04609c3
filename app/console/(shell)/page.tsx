import Link from 'next/link';
import { can, tenantScope, ROLE_DESCRIPTIONS } from '@/lib/authz';
import { listTenants } from '@/lib/tenants';
import { requireConsoleIdentity } from '@/lib/http/console-auth';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { buttonStyles, cardStyles } from '@/components/ui/styles';
import { formatNumber } from '@/components/console/format';

export const dynamic = 'force-dynamic';

export default async function ConsoleOverview() {
  const { principal, user } = await requireConsoleIdentity('/console');
  const tenants = await listTenants(tenantScope(principal, 'tenant.read'));
  const roles = principal.grants;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Signed in as ${user.name ?? user.username}. ${roles.map((g) => `${g.role} (${ROLE_DESCRIPTIONS[g.role].toLowerCase()})`).join('; ')}.`}
        actions={
          can(principal, 'tenant.create') ? (
            <Link href="/console/tenants#create" className={buttonStyles.primary}>
              New tenant
            </Link>
          ) : undefined
        }
      />
      <h2 className="mb-3 text-sm font-semibold uppercase tracking-wide text-slate-500">Tenants you can see ({tenants.length})</h2>
      {tenants.length === 0 ? (
        <p className="text-sm text-slate-600">No tenants are in your scope.</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="tenant-cards">
          {tenants.map((t) => (
            <li key={t.id} className={`${cardStyles} flex flex-col p-4`}>
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <Link href={`/console/tenants/${t.slug}`} className="block truncate font-semibold text-slate-900 hover:text-indigo-700 hover:underline">
                    {t.displayName}
                  </Link>
                  <p className="truncate font-mono text-xs text-slate-500">/t/{t.slug}</p>
                </div>
                <div className="flex shrink-0 gap-1">
                  {t.isAdmin && <Badge tone="indigo">admin</Badge>}
                  {t.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}
                </div>
              </div>
              <dl className="mt-4 grid grid-cols-2 gap-2 text-sm">
                <div>
                  <dt className="text-xs text-slate-500">Users</dt>
                  <dd className="font-semibold tabular-nums">{formatNumber(t.userCount)}</dd>
                </div>
                <div>
                  <dt className="text-xs text-slate-500">Applications</dt>
                  <dd className="font-semibold tabular-nums">{formatNumber(t.clientCount)}</dd>
                </div>
              </dl>
              <Link href={`/console/tenants/${t.slug}`} className="mt-4 text-sm font-medium text-indigo-700 hover:underline">
                Open tenant <span aria-hidden="true">→</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

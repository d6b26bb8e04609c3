import Link from 'next/link';
import { tenantScope } from '@/lib/authz';
import { listAuditEvents, userLabels } from '@/lib/audit';
import { listTenants } from '@/lib/tenants';
import { requireConsoleIdentity, requirePermission } from '@/lib/http/console-auth';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonStyles, inputStyles } from '@/components/ui/styles';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { OutcomeBadge } from '@/components/console/outcome-badge';
import { auditQueryString, readAuditQuery, toAuditFilter } from './filter';

export const dynamic = 'force-dynamic';

function details(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text === '{}' ? '' : text;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const identity = await requireConsoleIdentity('/console/audit');
  const scope = tenantScope(identity.principal, 'audit.read');
  if (scope !== 'all' && scope.length === 0) await requirePermission(identity, 'audit.read', null);
  const query = readAuditQuery(await searchParams);
  const parsed = toAuditFilter(query);
  // A tenant filter outside the administrator's scope is a denied (and audited) request.
  if (parsed.filter?.tenantId) await requirePermission(identity, 'audit.read', parsed.filter.tenantId);
  const [tenants, page] = await Promise.all([listTenants(scope), parsed.filter ? listAuditEvents(parsed.filter, scope) : Promise.resolve({ events: [], nextBefore: null })]);
  const tenantName = new Map(tenants.map((t) => [t.id, t.slug]));
  const names = await userLabels(page.events.flatMap((e) => [e.actorId, e.subject]));
  const exportScope = tenantScope(identity.principal, 'audit.export');
  const mayExport = exportScope === 'all' || exportScope.length > 0;
  const { before: _before, ...filters } = query;
  const hasFilters = Object.keys(filters).length > 0;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every administrative change and security event, newest first. Times are UTC."
        crumbs={[{ href: '/console', label: 'Console' }, { label: 'Audit log' }]}
        actions={
          mayExport ? (
            <>
              <a href={`/console/audit/export?${auditQueryString(filters, { format: 'csv' })}`} className={buttonStyles.secondary} download>
                Export CSV
              </a>
              <a href={`/console/audit/export?${auditQueryString(filters, { format: 'json' })}`} className={buttonStyles.secondary} download>
                Export JSON
              </a>
            </>
          ) : undefined
        }
      />
      <Card>
        <form method="get" action="/console/audit" role="search" aria-label="Filter the audit log" className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
          <div>
            <label htmlFor="audit-tenant" className="block text-sm font-medium text-slate-800">
              Tenant
            </label>
            <select id="audit-tenant" name="tenant" defaultValue={query.tenant ?? ''} className={inputStyles}>
              <option value="">{scope === 'all' ? 'All tenants' : 'All my tenants'}</option>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.displayName} ({t.slug})
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-actor" className="block text-sm font-medium text-slate-800">
              Actor ID
            </label>
            <input id="audit-actor" name="actor" defaultValue={query.actor} maxLength={200} className={inputStyles} autoComplete="off" />
          </div>
          <div>
            <label htmlFor="audit-type" className="block text-sm font-medium text-slate-800">
              Event type starts with
            </label>
            <input id="audit-type" name="type" defaultValue={query.type} maxLength={100} placeholder="user.login" className={inputStyles} autoComplete="off" />
          </div>
          <div>
            <label htmlFor="audit-outcome" className="block text-sm font-medium text-slate-800">
              Outcome
            </label>
            <select id="audit-outcome" name="outcome" defaultValue={query.outcome ?? ''} className={inputStyles}>
              <option value="">Any</option>
              <option value="success">success</option>
              <option value="failure">failure</option>
              <option value="denied">denied</option>
            </select>
          </div>
          <div>
            <label htmlFor="audit-from" className="block text-sm font-medium text-slate-800">
              From (UTC)
            </label>
            <input id="audit-from" name="from" type="datetime-local" defaultValue={query.from} className={inputStyles} />
          </div>
          <div>
            <label htmlFor="audit-to" className="block text-sm font-medium text-slate-800">
              To (UTC)
            </label>
            <input id="audit-to" name="to" type="datetime-local" defaultValue={query.to} className={inputStyles} />
          </div>
          <div className="flex gap-2 sm:col-span-2 lg:col-span-6">
            <button type="submit" className={buttonStyles.primary}>
              Apply filters
            </button>
            {hasFilters && (
              <Link href="/console/audit" className={buttonStyles.secondary}>
                Clear
              </Link>
            )}
          </div>
        </form>
        {parsed.error && (
          <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
            {parsed.error}
          </p>
        )}
        <Table caption="Audit events" head={['Time (UTC)', 'Event', 'Outcome', 'Tenant', 'Actor', 'Subject', 'IP']}>
          {page.events.map((e) => {
            const [date, time] = formatDateTime(e.time).split(' ');
            const extra = details(e.details);
            return (
              <tr key={e.id}>
                <td className={`${cellStyles} whitespace-nowrap text-xs`}>
                  {date}
                  <span className="block text-slate-500">{time}</span>
                </td>
                <td className={`${cellStyles} max-w-sm text-xs`}>
                  <span className="font-mono font-medium text-slate-900">{e.type}</span>
                  {e.reason && <span className="block text-slate-600">{e.reason}</span>}
                  {extra && (
                    <span className="block truncate font-mono text-slate-500" title={extra}>
                      {extra}
                    </span>
                  )}
                </td>
                <td className={cellStyles}>
                  <OutcomeBadge outcome={e.outcome} />
                </td>
                <td className={`${cellStyles} text-xs`}>{e.tenantId ? (tenantName.get(e.tenantId) ?? e.tenantId.slice(0, 8)) : '—'}</td>
                <td className={`${cellStyles} text-xs`}>
                  <span className="text-slate-500">{e.actorType}</span>
                  {e.actorId && (
                    <Link href={`/console/audit?${auditQueryString({ ...filters, actor: e.actorId })}`} className={`block max-w-[9rem] truncate text-indigo-700 hover:underline ${names.has(e.actorId) ? '' : 'font-mono'}`} title={`Only events by ${e.actorId}`}>
                      {names.get(e.actorId) ?? e.actorId}
                    </Link>
                  )}
                </td>
                <td className={`${cellStyles} max-w-[9rem] truncate text-xs ${e.subject && names.has(e.subject) ? '' : 'font-mono'}`} title={e.subject ?? e.clientId ?? undefined}>
                  {(e.subject && names.get(e.subject)) ?? e.subject ?? e.clientId ?? '—'}
                </td>
                <td className={`${cellStyles} whitespace-nowrap font-mono text-xs`}>{e.ip ?? '—'}</td>
              </tr>
            );
          })}
        </Table>
        {page.events.length === 0 && <p className="py-6 text-center text-sm text-slate-600">No events match.</p>}
        <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-2">
          {query.before ? (
            <Link href={`/console/audit?${auditQueryString(filters)}`} className={buttonStyles.secondary}>
              <span aria-hidden="true">«</span> Newest
            </Link>
          ) : (
            <span />
          )}
          {page.nextBefore && (
            <Link href={`/console/audit?${auditQueryString(filters, { before: page.nextBefore })}`} className={buttonStyles.secondary} rel="next">
              Older events <span aria-hidden="true">»</span>
            </Link>
          )}
        </nav>
      </Card>
    </>
  );
}

import Link from 'next/link';
import { can } from '@/lib/authz';
import { listUsers, userStatuses } from '@/lib/users';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonStyles, inputStyles } from '@/components/ui/styles';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime, formatNumber } from '@/components/console/format';
import { UserStatusBadges } from '@/components/console/user-status';
import { requireTenantPage } from '../../../_lib/tenant-access';

export const dynamic = 'force-dynamic';

const PAGE_SIZE = 25;
const STATUS_LABELS: Record<(typeof userStatuses)[number], string> = {
  active: 'Active',
  disabled: 'Disabled',
  locked: 'Locked out',
  must_change_password: 'Must change password',
  mfa_enrolled: 'Second factor enrolled',
  mfa_missing: 'No second factor',
};

type Search = { q?: string; status?: string; after?: string };

export default async function UsersPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'user.read', `/console/tenants/${slug}/users`);
  const sp = await searchParams;
  // Query parameters are user input: keep only well-formed values.
  const q = typeof sp.q === 'string' ? sp.q.trim().slice(0, 254) : '';
  const status = userStatuses.find((s) => s === sp.status);
  const after = typeof sp.after === 'string' && sp.after.length <= 128 ? sp.after : undefined;
  const { users, total, nextCursor } = await listUsers(tenant.id, { search: q || undefined, status, after, limit: PAGE_SIZE });
  const base = `/console/tenants/${tenant.slug}/users`;
  const link = (extra: Record<string, string | undefined>) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries({ q: q || undefined, status, ...extra })) if (v) query.set(k, v);
    const s = query.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <>
      <PageHeader
        title="Users"
        description="People who sign in through this tenant."
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'Users' }]}
        actions={
          can(identity.principal, 'user.write', tenant.id) ? (
            <Link href={`${base}/new`} className={buttonStyles.primary}>
              Create user
            </Link>
          ) : undefined
        }
      />
      <Card>
        <form method="get" action={base} role="search" aria-label="Filter users" className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <label htmlFor="user-search" className="block text-sm font-medium text-slate-800">
              Search
            </label>
            <input id="user-search" name="q" type="search" defaultValue={q} maxLength={254} placeholder="Username, email or name starts with…" className={inputStyles} aria-describedby="user-search-hint" />
            <p id="user-search-hint" className="sr-only">
              Prefix match on username, email or name.
            </p>
          </div>
          <div className="sm:w-56">
            <label htmlFor="user-status" className="block text-sm font-medium text-slate-800">
              Status
            </label>
            <select id="user-status" name="status" defaultValue={status ?? ''} className={inputStyles}>
              <option value="">Any status</option>
              {userStatuses.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="flex gap-2">
            <button type="submit" className={buttonStyles.primary}>
              Apply
            </button>
            {(q || status) && (
              <Link href={base} className={buttonStyles.secondary}>
                Clear
              </Link>
            )}
          </div>
        </form>
        <p className="mb-2 text-sm text-slate-600" aria-live="polite" data-testid="user-total">
          {formatNumber(total)} {total === 1 ? 'user' : 'users'}
          {q || status ? ' match' : ''}
          {after ? ` · showing those after “${after}”` : ''}
        </p>
        <Table caption="Users" head={['Username', 'Name', 'Email', 'Status', 'Last sign-in', 'Created']}>
          {users.map((u) => (
            <tr key={u.id}>
              <td className={cellStyles}>
                <Link href={`${base}/${u.id}`} className="font-medium text-indigo-700 hover:underline">
                  {u.username}
                </Link>
              </td>
              <td className={cellStyles}>{u.name ?? '—'}</td>
              <td className={`${cellStyles} text-slate-600`}>{u.email ?? '—'}</td>
              <td className={cellStyles}>
                <UserStatusBadges user={u} />
              </td>
              <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(u.lastLoginAt)}</td>
              <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(u.createdAt).slice(0, 10)}</td>
            </tr>
          ))}
        </Table>
        {users.length === 0 && <p className="py-6 text-center text-sm text-slate-600">No users {q || status ? 'match these filters' : 'yet'}.</p>}
        <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-2">
          {after ? (
            <Link href={link({})} className={buttonStyles.secondary}>
              <span aria-hidden="true">«</span> First page
            </Link>
          ) : (
            <span />
          )}
          {nextCursor && (
            <Link href={link({ after: nextCursor })} className={buttonStyles.secondary} rel="next">
              Next page <span aria-hidden="true">»</span>
            </Link>
          )}
        </nav>
      </Card>
    </>
  );
}

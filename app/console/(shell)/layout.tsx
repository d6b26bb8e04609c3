import Link from 'next/link';
import { can } from '@/lib/authz';
import { requireConsoleIdentity } from '@/lib/http/console-auth';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const { principal, user } = await requireConsoleIdentity();
  const nav = [
    { href: '/console', label: 'Overview', show: true },
    { href: '/console/tenants', label: 'Tenants', show: can(principal, 'tenant.read', undefined) || principal.grants.length > 0 },
    { href: '/console/audit', label: 'Audit log', show: principal.grants.some((g) => g.role !== 'helpdesk') },
    { href: '/console/admins', label: 'Administrators', show: can(principal, 'admin.manage') },
  ].filter((item) => item.show);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/console" className="font-semibold">
            IAM console
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-3 text-sm">
            {nav.map((item) => (
              <Link key={item.href} href={item.href} className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600" data-testid="signed-in-as">
              {user.name ?? user.username} · {principal.grants.map((g) => g.role).join(', ')}
            </span>
            <form method="post" action="/console/auth/logout">
              <button type="submit" className="rounded-md px-2 py-1 text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}

import Link from 'next/link';
import { can, tenantScope } from '@/lib/authz';
import { requireConsoleIdentity } from '@/lib/http/console-auth';
import { NavLinks, type NavItem } from '@/components/console/nav-links';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const { principal, user } = await requireConsoleIdentity();
  // Navigation only hides what the server refuses anyway: every page checks its own permission.
  const auditScope = tenantScope(principal, 'audit.read');
  const nav: NavItem[] = [
    { href: '/console', label: 'Overview', exact: true },
    { href: '/console/tenants', label: 'Tenants' },
    ...(auditScope === 'all' || auditScope.length > 0 ? [{ href: '/console/audit', label: 'Audit log' }] : []),
    ...(auditScope === 'all' || auditScope.length > 0 ? [{ href: '/console/threats', label: 'Threats' }] : []),
    ...(can(principal, 'admin.manage') ? [{ href: '/console/admins', label: 'Administrators' }] : []),
  ];
  const roles = [...new Set(principal.grants.map((g) => g.role))].join(', ');
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/console" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold">
              ID
            </span>
            IAM console
          </Link>
          <NavLinks items={nav} label="Main" />
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="hidden text-slate-300 sm:inline" data-testid="signed-in-as">
              {user.name ?? user.username} · <span className="text-slate-400">{roles}</span>
            </span>
            <form method="post" action="/console/auth/logout">
              <button type="submit" className="rounded-md px-2.5 py-1.5 font-medium text-slate-200 ring-1 ring-slate-600 hover:bg-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}

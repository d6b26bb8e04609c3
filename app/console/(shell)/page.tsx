import { tenantScope } from '@/lib/authz';
import { listTenants } from '@/lib/tenants';
import { requireConsoleIdentity } from '@/lib/http/console-auth';

export default async function ConsoleOverview() {
  const { principal } = await requireConsoleIdentity('/console');
  const tenants = await listTenants(tenantScope(principal, 'tenant.read'));
  return (
    <section>
      <h1 className="text-xl font-semibold">Overview</h1>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {tenants.map((t) => (
          <li key={t.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <a href={`/console/tenants/${t.slug}`} className="font-medium text-indigo-700 hover:underline">
              {t.displayName}
            </a>
            <p className="text-sm text-slate-600">
              {t.userCount} users · {t.clientCount} clients {t.disabled ? '· disabled' : ''}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

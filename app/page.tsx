import { listTenants } from '@/lib/tenants';
import { issuerFor } from '@/lib/oidc';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const tenants = await listTenants();
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">Identity provider</h1>
      <p className="mt-2 text-slate-600">Each tenant is its own OpenID Connect issuer.</p>
      <ul className="mt-6 space-y-3">
        {tenants.map((tenant) => (
          <li key={tenant.id} className="rounded-lg bg-white p-4 shadow-sm">
            <div className="font-medium">
              {tenant.displayName} {tenant.disabled ? <span className="text-sm text-red-600">(disabled)</span> : null}
            </div>
            <a className="text-sm text-indigo-700 underline" href={`${issuerFor(tenant.slug)}/.well-known/openid-configuration`}>
              {issuerFor(tenant.slug)}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}

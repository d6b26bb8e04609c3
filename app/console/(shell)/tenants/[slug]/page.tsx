import Link from 'next/link';
import { can } from '@/lib/authz';
import { activeUserCount, signInSeries } from '@/lib/audit';
import { listSigningKeys } from '@/lib/keys';
import { mfaAdoption } from '@/lib/mfa';
import { issuerFor } from '@/lib/oidc';
import { listTenants } from '@/lib/tenants';
import { Card, StatCard } from '@/components/ui/card';
import { CopyableValue } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { formatAge, formatNumber } from '@/components/console/format';
import { SignInChart } from '@/components/console/sign-in-chart';
import { MfaAdoptionChart } from '@/components/console/mfa-adoption-chart';
import { requireTenantPage } from '../../_lib/tenant-access';

export const dynamic = 'force-dynamic';

export default async function TenantOverviewPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ created?: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'tenant.read', `/console/tenants/${slug}`);
  const mayReadKeys = can(identity.principal, 'key.read', tenant.id);
  const [day, month, active, [counts], keys, adoption] = await Promise.all([
    signInSeries(tenant.id, '24h'),
    signInSeries(tenant.id, '30d'),
    activeUserCount(tenant.id),
    listTenants([tenant.id]),
    mayReadKeys ? listSigningKeys(tenant.id) : Promise.resolve(null),
    mfaAdoption(tenant.id),
  ]);
  const current = keys?.find((k) => k.status === 'current');
  const sum = (points: typeof day, key: 'success' | 'failure') => points.reduce((n, p) => n + p[key], 0);
  const issuer = issuerFor(tenant.slug);
  const created = (await searchParams).created === '1';
  return (
    <>
      <PageHeader title={tenant.displayName} description="Sign-in activity and the tenant's vital signs." crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { label: tenant.slug }]} />
      {created && (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          Tenant created with fresh signing keys. Next:{' '}
          <Link className="font-medium underline" href={`/console/tenants/${tenant.slug}/clients/new`}>
            register an application
          </Link>{' '}
          and{' '}
          <Link className="font-medium underline" href={`/console/tenants/${tenant.slug}/users/new`}>
            add users
          </Link>
          .
        </p>
      )}
      <dl className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-5">
        <StatCard label="Sign-ins (24 h)" value={formatNumber(sum(day, 'success'))} hint={`${formatNumber(sum(day, 'failure'))} failed`} />
        <StatCard label="Active users (30 d)" value={formatNumber(active)} hint="signed in at least once" />
        <StatCard label="Users" value={formatNumber(counts?.userCount ?? 0)} />
        <StatCard label="Applications" value={formatNumber(counts?.clientCount ?? 0)} />
        <StatCard label="Signing key age" value={mayReadKeys ? formatAge(current?.activatedAt ?? current?.createdAt) : '—'} hint={mayReadKeys ? (current ? `kid ${current.kid.slice(0, 10)}…` : 'no current key') : 'needs key access'} />
      </dl>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Sign-ins, last 24 hours" description="Per hour (UTC)">
          <SignInChart data={day} caption="Sign-ins per hour, last 24 hours" bucketLabel="Hour (UTC)" />
        </Card>
        <Card title="Sign-ins, last 30 days" description="Per day (UTC)">
          <SignInChart data={month} caption="Sign-ins per day, last 30 days" bucketLabel="Day (UTC)" />
        </Card>
      </div>
      <Card title="Two-step verification" description="Users with a confirmed authenticator app" className="mt-6">
        <MfaAdoptionChart enrolled={adoption.enrolled} total={adoption.total} />
        {can(identity.principal, 'user.read', tenant.id) && (
          <p className="mt-3 text-sm">
            <Link className="font-medium text-indigo-700 hover:underline" href={`/console/tenants/${tenant.slug}/users?status=mfa_missing`}>
              See users without a second factor
            </Link>
          </p>
        )}
      </Card>
      <Card title="Endpoints" className="mt-6">
        <dl className="grid gap-3 text-sm md:grid-cols-2">
          <div className="min-w-0">
            <dt className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Issuer</dt>
            <dd>
              <CopyableValue value={issuer} label="issuer" />
            </dd>
          </div>
          <div className="min-w-0">
            <dt className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Discovery document</dt>
            <dd>
              <CopyableValue value={`${issuer}/.well-known/openid-configuration`} label="discovery URL" />
            </dd>
          </div>
        </dl>
      </Card>
    </>
  );
}

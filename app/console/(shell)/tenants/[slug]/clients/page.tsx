import Link from 'next/link';
import { can } from '@/lib/authz';
import { listClients } from '@/lib/clients';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonStyles } from '@/components/ui/styles';
import { Table, cellStyles } from '@/components/ui/table';
import { CLIENT_KIND_INFO } from '@/components/console/client-kinds';
import { formatDateTime } from '@/components/console/format';
import { requireTenantPage } from '../../../_lib/tenant-access';

export const dynamic = 'force-dynamic';

export default async function ClientsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'client.read', `/console/tenants/${slug}/clients`);
  const clients = await listClients(tenant.id);
  const base = `/console/tenants/${tenant.slug}/clients`;
  return (
    <>
      <PageHeader
        title="Applications"
        description="OpenID Connect clients registered with this tenant's issuer."
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'Applications' }]}
        actions={
          can(identity.principal, 'client.write', tenant.id) ? (
            <Link href={`${base}/new`} className={buttonStyles.primary}>
              Register application
            </Link>
          ) : undefined
        }
      />
      <Card>
        <Table caption="Applications" head={['Name', 'Type', 'Client ID', 'Redirect URIs', 'Status', 'Created']}>
          {clients.map((c) => (
            <tr key={c.id}>
              <td className={cellStyles}>
                <Link href={`${base}/${encodeURIComponent(c.clientId)}`} className="font-medium text-indigo-700 hover:underline">
                  {c.name}
                </Link>
              </td>
              <td className={`${cellStyles} whitespace-nowrap`}>{CLIENT_KIND_INFO[c.kind]?.label ?? c.kind}</td>
              <td className={`${cellStyles} font-mono text-xs`}>{c.clientId}</td>
              <td className={`${cellStyles} max-w-xs truncate font-mono text-xs text-slate-600`} title={c.redirectUris.join('\n')}>
                {c.redirectUris[0] ?? '—'}
                {c.redirectUris.length > 1 && <span className="text-slate-400"> +{c.redirectUris.length - 1}</span>}
              </td>
              <td className={cellStyles}>{c.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">enabled</Badge>}</td>
              <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(c.createdAt).slice(0, 10)}</td>
            </tr>
          ))}
        </Table>
        {clients.length === 0 && <p className="py-6 text-center text-sm text-slate-600">No applications yet.</p>}
      </Card>
    </>
  );
}

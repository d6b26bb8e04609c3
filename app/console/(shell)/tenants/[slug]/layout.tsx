import { can } from '@/lib/authz';
import { Badge } from '@/components/ui/badge';
import { NavLinks, type NavItem } from '@/components/console/nav-links';
import { requireTenantPage } from '../../_lib/tenant-access';

export const dynamic = 'force-dynamic';

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'tenant.read', `/console/tenants/${slug}`);
  const base = `/console/tenants/${tenant.slug}`;
  const may = (p: Parameters<typeof can>[1]) => can(identity.principal, p, tenant.id);
  const tabs: NavItem[] = [
    { href: base, label: 'Overview', exact: true },
    ...(may('client.read') ? [{ href: `${base}/clients`, label: 'Applications' }] : []),
    ...(may('user.read') ? [{ href: `${base}/users`, label: 'Users' }] : []),
    ...(may('key.read') ? [{ href: `${base}/keys`, label: 'Signing keys' }] : []),
    ...(may('client.read') ? [{ href: `${base}/scim`, label: 'SCIM' }] : []),
    { href: `${base}/rate-limits`, label: 'Rate limits' },
    { href: `${base}/settings`, label: 'Settings' },
  ];
  return (
    <div>
      <div className="mb-6 border-b border-slate-200">
        <div className="flex flex-wrap items-center gap-2 pb-2 text-sm">
          <span className="font-semibold text-slate-900">{tenant.displayName}</span>
          <span className="font-mono text-xs text-slate-500">{tenant.slug}</span>
          {tenant.isAdmin && <Badge tone="indigo">admin tenant</Badge>}
          {tenant.disabled && <Badge tone="red">disabled: its issuer refuses every request</Badge>}
        </div>
        <NavLinks items={tabs} label="Tenant" variant="tabs" />
      </div>
      {children}
    </div>
  );
}

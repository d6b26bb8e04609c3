import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { ClientCreateForm } from '@/components/console/client-create-form';
import { requireTenantPage } from '../../../../_lib/tenant-access';
import { createClientAction } from '../actions';

export const dynamic = 'force-dynamic';

export default async function NewClientPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { tenant } = await requireTenantPage(slug, 'client.write', `/console/tenants/${slug}/clients/new`);
  return (
    <>
      <PageHeader
        title="Register an application"
        description="Sensible defaults per application type: you only choose the type and where users return to."
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { href: `/console/tenants/${tenant.slug}/clients`, label: 'Applications' }, { label: 'New' }]}
      />
      <Card className="max-w-3xl">
        <ClientCreateForm action={createClientAction} tenantSlug={tenant.slug} />
      </Card>
    </>
  );
}

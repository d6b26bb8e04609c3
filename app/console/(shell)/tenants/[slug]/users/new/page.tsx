import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { UserCreateForm } from '@/components/console/user-forms';
import { requireTenantPage } from '../../../../_lib/tenant-access';
import { createUserAction } from '../actions';

export const dynamic = 'force-dynamic';

export default async function NewUserPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { tenant } = await requireTenantPage(slug, 'user.write', `/console/tenants/${slug}/users/new`);
  return (
    <>
      <PageHeader title="Create a user" crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { href: `/console/tenants/${tenant.slug}/users`, label: 'Users' }, { label: 'New' }]} />
      <Card className="max-w-2xl">
        <UserCreateForm action={createUserAction} tenantSlug={tenant.slug} passwordMinLength={tenant.settings.passwordMinLength ?? 8} />
      </Card>
    </>
  );
}

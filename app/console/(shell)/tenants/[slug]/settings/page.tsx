import { can } from '@/lib/authz';
import { getConfig } from '@/lib/config';
import { ActionForm } from '@/components/ui/action-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { TenantSettingsForm } from '@/components/console/tenant-settings-form';
import { requireTenantPage } from '../../../_lib/tenant-access';
import { deleteTenantAction, setTenantDisabledAction, updateTenantSettingsAction } from './actions';

export const dynamic = 'force-dynamic';

export default async function TenantSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'tenant.read', `/console/tenants/${slug}/settings`);
  const mayUpdate = can(identity.principal, 'tenant.update', tenant.id);
  const mayDelete = can(identity.principal, 'tenant.delete', tenant.id);
  const { settings } = tenant;
  return (
    <>
      <PageHeader title="Settings" description="Token lifetimes, grant types, password and multi-factor policy for this tenant." crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'Settings' }]} />
      <div className="space-y-6">
        <Card title="General and policy" description={mayUpdate ? undefined : 'Read only: your role cannot change tenant settings.'}>
          <TenantSettingsForm
            action={updateTenantSettingsAction}
            slug={tenant.slug}
            readOnly={!mayUpdate}
            values={{ displayName: tenant.displayName, ...settings }}
            defaults={{ accessTokenTtlSeconds: getConfig().tokens.accessTokenTtlSeconds, refreshTokenTtlDays: 14, passwordMinLength: 8, mfa: getConfig().features.mfa ? (tenant.isAdmin ? 'required of console owners and admins' : 'optional') : 'off: MFA is switched off for the whole product (MFA_ENABLED)' }}
          />
        </Card>
        {(mayUpdate || mayDelete) && (
          <Card title="Danger zone" className="ring-red-200">
            {tenant.isAdmin ? (
              <p className="text-sm text-slate-600">The admin tenant signs administrators in to this console: it cannot be disabled or deleted.</p>
            ) : (
              <div className="divide-y divide-slate-100">
                {mayUpdate && (
                  <div className="flex flex-wrap items-start justify-between gap-3 pb-4">
                    <div className="max-w-xl">
                      <h3 className="text-sm font-semibold">{tenant.disabled ? 'Enable the tenant' : 'Disable the tenant'}</h3>
                      <p className="text-sm text-slate-600">
                        {tenant.disabled ? 'Its issuer answers again: users can sign in and tokens can be issued.' : 'Its issuer refuses every request at once: no sign-ins, no new tokens. Nothing is deleted; you can enable it again.'}
                      </p>
                    </div>
                    {tenant.disabled ? (
                      <ActionForm action={setTenantDisabledAction} hidden={{ slug: tenant.slug, disabled: 'false' }} label="Enable tenant" />
                    ) : (
                      <ActionForm
                        action={setTenantDisabledAction}
                        hidden={{ slug: tenant.slug, disabled: 'true' }}
                        label="Disable tenant"
                        variant="dangerOutline"
                        confirm={{ title: `Disable ${tenant.displayName}?`, body: <p>Every sign-in and token request to this tenant's issuer is refused until you enable it again.</p>, confirmLabel: 'Disable tenant' }}
                      />
                    )}
                  </div>
                )}
                {mayDelete && (
                  <div className="flex flex-wrap items-start justify-between gap-3 pt-4">
                    <div className="max-w-xl">
                      <h3 className="text-sm font-semibold">Delete the tenant</h3>
                      <p className="text-sm text-slate-600">Deletes its users, applications, sessions and signing keys for good. Audit events stay.</p>
                    </div>
                    <ActionForm
                      action={deleteTenantAction}
                      hidden={{ slug: tenant.slug }}
                      label="Delete tenant"
                      variant="danger"
                      confirm={{
                        title: `Delete ${tenant.displayName}?`,
                        body: <p>This cannot be undone. Every user, application, session, grant and key of the tenant is deleted, and its issuer stops existing.</p>,
                        confirmLabel: 'Delete tenant for good',
                        typeToConfirm: tenant.slug,
                      }}
                    />
                  </div>
                )}
              </div>
            )}
          </Card>
        )}
      </div>
    </>
  );
}

import { getPrisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { getTenantOrThrow } from './repo';
import { updateTenantSchema, type UpdateTenantInput } from './schemas';

type Actor = { type: ActorType; id?: string | null };

/** Renames a tenant and/or changes its settings; running providers pick the change up within seconds. */
export async function updateTenant(slug: string, input: UpdateTenantInput, actor: Actor) {
  const data = updateTenantSchema.parse(input);
  const tenant = await getTenantOrThrow(slug);
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const updated = await tx.tenant.update({
      where: { id: tenant.id },
      data: {
        ...(data.displayName ? { displayName: data.displayName } : {}),
        ...(data.settings ? { settings: { ...tenant.settings, ...data.settings } } : {}),
      },
    });
    await recordEvent(tx, { type: 'tenant.updated', outcome: 'success', tenantId: tenant.id, tenantSlug: slug, actor, details: { displayName: data.displayName, settings: data.settings } });
    return updated;
  });
}

/** A disabled tenant's issuer refuses every request, sign-ins included. */
export async function setTenantDisabled(slug: string, disabled: boolean, actor: Actor) {
  const tenant = await getTenantOrThrow(slug);
  if (tenant.isAdmin && disabled) throw new AppError('invalid_input', 'the admin tenant cannot be disabled');
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenant.id }, data: { disabled } });
    await recordEvent(tx, { type: disabled ? 'tenant.disabled' : 'tenant.enabled', outcome: 'success', tenantId: tenant.id, tenantSlug: slug, actor });
  });
}

/** Deletes a tenant and everything in it. `confirmation` must repeat the slug. */
export async function deleteTenant(slug: string, confirmation: string, actor: Actor) {
  const tenant = await getTenantOrThrow(slug);
  if (confirmation !== slug) throw new AppError('invalid_input', `type the tenant's slug "${slug}" to confirm deletion`, { field: 'confirmation' });
  if (tenant.isAdmin) throw new AppError('invalid_input', 'the admin tenant cannot be deleted');
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenant.id}::uuid`;
    await tx.adminRoleBinding.deleteMany({ where: { scopeTenantId: tenant.id } });
    await tx.tenant.delete({ where: { id: tenant.id } });
    // The event keeps the tenant id for the record, though the tenant row is gone.
    await recordEvent(tx, { type: 'tenant.deleted', outcome: 'success', tenantId: null, tenantSlug: slug, actor, details: { tenantId: tenant.id, slug } });
  });
}

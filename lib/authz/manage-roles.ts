import { getPrisma } from '@/lib/db';
import { isLastActiveOwner } from './owner-guard';
import { recordEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { findAdminTenant, findTenantBySlug } from '@/lib/tenants';
import { ROLE_PERMISSIONS, type Role } from './roles';
import { grantClientRoleSchema, grantRoleSchema, type GrantClientRoleInput, type GrantRoleInput } from './role-schemas';
import { isUuid } from '@/lib/db/uuid';

type Actor = { type: ActorType; id?: string | null };

export interface RoleBindingDto {
  id: string;
  role: Role;
  /** The administrator (a user of the admin tenant), or null for a machine client binding. */
  user: { id: string; username: string; name: string | null } | null;
  clientId: string | null;
  /** null: every tenant. */
  tenant: { id: string; slug: string; displayName: string } | null;
  createdAt: Date;
}

/** Every console role binding, with the administrator and the scoped tenant. */
export async function listRoleBindings(): Promise<RoleBindingDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.adminRoleBinding.findMany({
    select: { id: true, role: true, clientId: true, scopeTenantId: true, createdAt: true, user: { select: { id: true, username: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const tenantIds = [...new Set(rows.map((r) => r.scopeTenantId).filter((id): id is string => id !== null))];
  const tenants = tenantIds.length ? await prisma.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, slug: true, displayName: true } }) : [];
  const byId = new Map(tenants.map((t) => [t.id, t]));
  return rows
    .filter((r) => r.role in ROLE_PERMISSIONS)
    .map((r) => ({ id: r.id, role: r.role as Role, user: r.user, clientId: r.clientId, tenant: r.scopeTenantId ? (byId.get(r.scopeTenantId) ?? null) : null, createdAt: r.createdAt }));
}

/** The admin tenant (where principals live) and the tenant a grant is scoped to (null: all). */
async function resolveGrantScope(tenantSlug: string | null | undefined) {
  const adminTenant = await findAdminTenant();
  if (!adminTenant) throw new AppError('not_found', 'the admin tenant does not exist');
  const scope = tenantSlug ? await findTenantBySlug(tenantSlug) : null;
  if (tenantSlug && !scope) throw new AppError('invalid_input', `no tenant "${tenantSlug}"`, { field: 'tenantSlug' });
  return { adminTenant, scope };
}

/** Binds a role to an administrator of the admin tenant, for every tenant or one; recorded as admin.role.granted. */
export async function grantRole(input: GrantRoleInput, actor: Actor) {
  const data = grantRoleSchema.parse(input);
  const { adminTenant, scope } = await resolveGrantScope(data.tenantSlug);
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { tenantId_username: { tenantId: adminTenant.id, username: data.username } }, select: { id: true, username: true } });
    if (!user) throw new AppError('invalid_input', `no administrator "${data.username}" in the admin tenant`, { field: 'username' });
    const existing = await tx.adminRoleBinding.findFirst({ where: { userId: user.id, role: data.role, scopeTenantId: scope?.id ?? null }, select: { id: true } });
    if (existing) throw new AppError('conflict', `${user.username} already has that role${scope ? ` in ${scope.slug}` : ' for all tenants'}`);
    const binding = await tx.adminRoleBinding.create({ data: { userId: user.id, role: data.role, scopeTenantId: scope?.id ?? null }, select: { id: true } });
    await recordEvent(tx, {
      type: 'admin.role.granted',
      outcome: 'success',
      tenantId: adminTenant.id,
      actor,
      subject: user.id,
      details: { bindingId: binding.id, username: user.username, role: data.role, scopeTenantId: scope?.id ?? null, scopeTenantSlug: scope?.slug ?? null },
    });
    return { id: binding.id, userId: user.id, role: data.role, tenantId: scope?.id ?? null };
  });
}

/**
 * Binds a role to a machine client of the admin tenant (an admin API caller using client
 * credentials), for every tenant or one; recorded as admin.role.granted.
 */
export async function grantClientRole(input: GrantClientRoleInput, actor: Actor) {
  const data = grantClientRoleSchema.parse(input);
  const { adminTenant, scope } = await resolveGrantScope(data.tenantSlug);
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const client = await tx.oidcClient.findUnique({ where: { tenantId_clientId: { tenantId: adminTenant.id, clientId: data.clientId } }, select: { clientId: true, kind: true } });
    if (!client) throw new AppError('invalid_input', `no client "${data.clientId}" in the admin tenant`, { field: 'clientId' });
    // Only client-credentials clients act on their own behalf; a web client acts for a user.
    if (client.kind !== 'machine') throw new AppError('invalid_input', 'roles can be granted to machine clients only', { field: 'clientId' });
    const existing = await tx.adminRoleBinding.findFirst({ where: { clientId: client.clientId, role: data.role, scopeTenantId: scope?.id ?? null }, select: { id: true } });
    if (existing) throw new AppError('conflict', `${client.clientId} already has that role${scope ? ` in ${scope.slug}` : ' for all tenants'}`);
    const binding = await tx.adminRoleBinding.create({ data: { clientId: client.clientId, role: data.role, scopeTenantId: scope?.id ?? null }, select: { id: true } });
    await recordEvent(tx, {
      type: 'admin.role.granted',
      outcome: 'success',
      tenantId: adminTenant.id,
      actor,
      clientId: client.clientId,
      subject: client.clientId,
      details: { bindingId: binding.id, role: data.role, scopeTenantId: scope?.id ?? null, scopeTenantSlug: scope?.slug ?? null },
    });
    return { id: binding.id, clientId: client.clientId, role: data.role, tenantId: scope?.id ?? null };
  });
}

/**
 * Removes a role binding; recorded as admin.role.revoked. The last all-tenant owner cannot be
 * removed, so the console can never be left without someone able to manage administrators.
 */
export async function revokeRole(bindingId: string, actor: Actor) {
  if (!isUuid(bindingId)) throw new AppError('not_found', 'no such role binding');
  const adminTenant = await findAdminTenant();
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const binding = await tx.adminRoleBinding.findUnique({ where: { id: bindingId }, select: { id: true, userId: true, clientId: true, role: true, scopeTenantId: true } });
    if (!binding) throw new AppError('not_found', 'no such role binding');
    // Disabled owners do not count: they cannot sign in to manage anyone.
    if (binding.role === 'owner' && binding.scopeTenantId === null && binding.userId && (await isLastActiveOwner(tx, binding.userId))) {
      throw new AppError('invalid_input', 'the last active owner cannot be removed: grant owner to someone else first');
    }
    await tx.adminRoleBinding.delete({ where: { id: binding.id } });
    await recordEvent(tx, {
      type: 'admin.role.revoked',
      outcome: 'success',
      tenantId: adminTenant?.id ?? null,
      actor,
      subject: binding.userId ?? binding.clientId,
      details: { bindingId: binding.id, role: binding.role, scopeTenantId: binding.scopeTenantId },
    });
  });
}

import { getPrisma } from '@/lib/db';
import { ROLE_PERMISSIONS, type Permission, type Role } from './roles';

export interface RoleGrant {
  role: Role;
  /** null: every tenant. */
  tenantId: string | null;
}

/** Who is acting in the console or admin API, with the roles bound to them. */
export interface Principal {
  kind: 'user' | 'client' | 'operator';
  id: string;
  name: string;
  grants: RoleGrant[];
  /** For API tokens: a read-only token (scope api:read only) cannot write whatever the role. */
  readOnly?: boolean;
}

const WRITE_PERMISSIONS = new Set<Permission>(['tenant.create', 'tenant.update', 'tenant.delete', 'client.write', 'user.write', 'user.support', 'key.rotate', 'admin.manage']);

export const isWritePermission = (permission: Permission) => WRITE_PERMISSIONS.has(permission);

/**
 * The permission a change in a tenant takes besides its own. The admin tenant holds the
 * console's administrators, its OIDC client and the API's machine clients: resetting a password
 * or MFA there, rotating a client secret or switching its MFA policy off is taking over an
 * administrator, so it also takes admin.manage (owners). Otherwise an all-tenant admin or
 * helpdesk could reset an owner's password and sign in as them.
 */
export function extraPermissionFor(permission: Permission, tenant: { isAdmin: boolean }): Permission | null {
  return tenant.isAdmin && isWritePermission(permission) && permission !== 'admin.manage' ? 'admin.manage' : null;
}

/** May the principal do `permission` (on `tenantId`, when the action concerns one tenant)? */
export function can(principal: Principal, permission: Permission, tenantId?: string | null): boolean {
  if (principal.readOnly && WRITE_PERMISSIONS.has(permission)) return false;
  return principal.grants.some(
    (grant) => ROLE_PERMISSIONS[grant.role].has(permission) && (grant.tenantId === null || (tenantId !== undefined && tenantId !== null && grant.tenantId === tenantId)),
  );
}

/**
 * Tenants the principal may see for a permission: 'all', or the ids of its scoped grants.
 * (Creating tenants and global lists need an all-tenant grant.)
 */
export function tenantScope(principal: Principal, permission: Permission): 'all' | string[] {
  const grants = principal.grants.filter((g) => ROLE_PERMISSIONS[g.role].has(permission));
  if (grants.some((g) => g.tenantId === null)) return 'all';
  return [...new Set(grants.map((g) => g.tenantId!))];
}

export async function loadGrants(where: { userId: string } | { clientId: string }): Promise<RoleGrant[]> {
  const prisma = await getPrisma();
  const rows = await prisma.adminRoleBinding.findMany({ where, select: { role: true, scopeTenantId: true } });
  return rows.filter((r) => r.role in ROLE_PERMISSIONS).map((r) => ({ role: r.role as Role, tenantId: r.scopeTenantId }));
}

/** The local operator (admin CLI on this machine): full rights, audited as such. */
export const operatorPrincipal = (name = 'operator'): Principal => ({ kind: 'operator', id: name, name, grants: [{ role: 'owner', tenantId: null }] });

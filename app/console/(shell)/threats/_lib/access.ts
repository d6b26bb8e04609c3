import { can, tenantScope } from '@/lib/authz';
import { requireConsoleIdentity, requirePermission } from '@/lib/http/console-auth';

/**
 * Threat pages: reading needs audit.read (on all tenants or some: tenant-scoped readers see the
 * global configuration and their tenants' entries and hits); writing global items needs
 * tenant.update on every tenant.
 */
export async function requireThreatReader(returnTo: string) {
  const identity = await requireConsoleIdentity(returnTo);
  const scope = tenantScope(identity.principal, 'audit.read');
  if (scope !== 'all' && scope.length === 0) await requirePermission(identity, 'audit.read', null);
  return { identity, scope, canWriteGlobal: can(identity.principal, 'tenant.update', null), writableTenants: tenantScope(identity.principal, 'tenant.update') };
}

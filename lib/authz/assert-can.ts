import { emitEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { can, type Principal } from './principal';
import type { Permission } from './roles';

export function actorOf(principal: Principal): { type: ActorType; id: string } {
  return { type: principal.kind === 'client' ? 'client' : 'admin', id: principal.kind === 'operator' ? `operator:${principal.id}` : principal.id };
}

/** Throws forbidden (and records the denial as an audit event) unless the principal may act. */
export function assertCan(principal: Principal, permission: Permission, tenantId?: string | null, meta?: { ip?: string | null; userAgent?: string | null }) {
  if (can(principal, permission, tenantId)) return;
  emitEvent({
    type: 'admin.access.denied',
    outcome: 'denied',
    tenantId: tenantId ?? null,
    actor: actorOf(principal),
    reason: `missing permission ${permission}`,
    ip: meta?.ip,
    userAgent: meta?.userAgent,
    details: { permission },
  });
  throw new AppError('forbidden', forbiddenMessage(permission, Boolean(tenantId)));
}

/** The refusal's wording; the admin API also gives it for a tenant that does not exist (no probing for slugs). */
export const forbiddenMessage = (permission: Permission, inTenant: boolean) => `you do not have permission to ${permission.replace('.', ' ')}${inTenant ? ' in this tenant' : ''}`;

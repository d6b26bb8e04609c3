import { notFound } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { assertCan, can, extraPermissionFor, type Permission } from '@/lib/authz';
import { AppError } from '@/lib/errors';
import { findTenantBySlug, type TenantRecord } from '@/lib/tenants';
import { requireConsoleIdentity, requirePermission, type ConsoleIdentity } from '@/lib/http/console-auth';
import { runConsoleAction, type ActionContext, type ActionState } from '@/lib/http/console-action';

/**
 * For tenant pages: the signed-in administrator and the tenant, after checking `permission` on
 * that tenant on the server. An unknown slug is a 404 only for someone allowed everywhere;
 * a scoped administrator sees the forbidden page, so slugs outside their scope stay unconfirmed.
 */
export async function requireTenantPage(slug: string, permission: Permission, returnTo: string): Promise<{ identity: ConsoleIdentity; tenant: TenantRecord }> {
  const identity = await requireConsoleIdentity(returnTo);
  const tenant = await findTenantBySlug(slug);
  if (!tenant) {
    await requirePermission(identity, permission, null);
    notFound();
  }
  await requirePermission(identity, permission, tenant.id);
  return { identity, tenant };
}

/**
 * For tenant server actions: the slug comes from the client, so it is resolved here and the
 * permission is checked against the tenant it names (never a tenant id sent by the browser).
 * Services take that tenant id and look every client/user/session id up within it.
 */
export async function runTenantAction<T>(slug: unknown, permission: Permission, fn: (tenant: TenantRecord, ctx: ActionContext) => Promise<T>, successMessage?: string): Promise<ActionState<T>> {
  const tenant = typeof slug === 'string' && slug.length <= 40 ? await findTenantBySlug(slug) : null;
  const state = await runConsoleAction(permission, tenant?.id ?? null, async (ctx) => {
    if (!tenant) throw new AppError('not_found', 'no such tenant');
    const extra = extraPermissionFor(permission, tenant);
    if (extra) assertCan(ctx.principal, extra, null, ctx.meta);
    return fn(tenant, ctx);
  });
  if (!state.ok) return state;
  revalidatePath('/console', 'layout');
  return successMessage ? { ...state, message: successMessage } : state;
}

/** Which of these permissions the principal holds on the tenant: for showing (not enforcing) controls. */
export function permissionsOn(identity: ConsoleIdentity, tenantId: string, list: Permission[]): Record<string, boolean> {
  return Object.fromEntries(list.map((p) => [p, can(identity.principal, p, tenantId)]));
}

import { ZodError } from 'zod';
import { actorOf, assertCan, type Permission, type Principal } from '@/lib/authz';
import { isAppError } from '@/lib/errors';
import type { EventActor } from '@/lib/audit';
import { getLogger } from '@/lib/log';
import { getConsoleIdentity, requestMetaFromHeaders } from './console-auth';

/** What every console form action returns: field errors, a message, or success (with a result). */
export interface ActionState<T = unknown> {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  result?: T;
}

export interface ActionContext {
  principal: Principal;
  /** The principal as an event actor, with the request's address and user agent. */
  actor: EventActor & ReturnType<typeof actorOf>;
  meta: { ip: string | null; userAgent: string | null };
}

/**
 * The one wrapper for console server actions (Next checks their Origin against the host, the
 * framework's CSRF defence): session, permission check on the server (denials audited),
 * then the service call; zod and domain errors become field errors and messages, never a 500.
 */
export async function runConsoleAction<T>(permission: Permission, tenantId: string | null | undefined, fn: (ctx: ActionContext) => Promise<T>): Promise<ActionState<T>> {
  const identity = await getConsoleIdentity();
  if (!identity) return { message: 'Your session has expired. Sign in again.' };
  const meta = await requestMetaFromHeaders();
  try {
    assertCan(identity.principal, permission, tenantId, meta);
    const result = await fn({ principal: identity.principal, actor: { ...actorOf(identity.principal), ip: meta.ip, userAgent: meta.userAgent }, meta });
    return { ok: true, result };
  } catch (error) {
    return actionError(error);
  }
}

export function actionError(error: unknown): ActionState<never> {
  if (error instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of error.issues) fieldErrors[issue.path.join('.') || 'form'] ??= issue.message;
    return { message: 'Please correct the highlighted fields.', fieldErrors };
  }
  if (isAppError(error)) {
    const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
    return { message: error.message, ...(field ? { fieldErrors: { [field]: error.message } } : {}) };
  }
  getLogger().error({ err: error }, 'console action failed');
  return { message: 'Something went wrong. Nothing was changed; try again.' };
}

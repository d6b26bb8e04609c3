import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { assertCan, can, loadGrants, type Permission, type Principal } from '@/lib/authz';
import { findConsoleSession } from '@/lib/console';
import { isAppError } from '@/lib/errors';
import { CLIENT_IP_HEADER } from './request-meta';

/** Session cookie: httpOnly, SameSite=Strict, Secure (and __Host- prefixed) behind https. */
export function sessionCookieName() {
  return getConfig().server.publicOrigin.startsWith('https:') ? '__Host-iam_console' : 'iam_console';
}

export function sessionCookieOptions() {
  return { httpOnly: true, sameSite: 'strict' as const, secure: getConfig().server.publicOrigin.startsWith('https:'), path: '/' };
}

export interface ConsoleIdentity {
  principal: Principal;
  user: { id: string; username: string; name: string | null };
}

/** The signed-in administrator, or null. Reads the session cookie; no redirect. */
export async function getConsoleIdentity(): Promise<ConsoleIdentity | null> {
  const token = (await cookies()).get(sessionCookieName())?.value;
  const session = await findConsoleSession(token);
  if (!session) return null;
  const prisma = await getPrisma();
  const user = await prisma.user.findUnique({ where: { id: session.userId }, select: { id: true, username: true, name: true, disabled: true } });
  if (!user || user.disabled) return null;
  const grants = await loadGrants({ userId: user.id });
  return { principal: { kind: 'user', id: user.id, name: user.name ?? user.username, grants }, user: { id: user.id, username: user.username, name: user.name } };
}

/** For pages: the signed-in administrator, or a redirect to sign in (and back here). */
export async function requireConsoleIdentity(returnTo = '/console'): Promise<ConsoleIdentity> {
  const identity = await getConsoleIdentity();
  if (!identity) redirect(`/console/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (identity.principal.grants.length === 0) redirect('/console/forbidden');
  return identity;
}

export async function requestMetaFromHeaders() {
  const h = await headers();
  return { ip: h.get(CLIENT_IP_HEADER), userAgent: h.get('user-agent') };
}

/** For pages: checks a permission on the server; a denial is audited and shows the forbidden page. */
export async function requirePermission(identity: ConsoleIdentity, permission: Permission, tenantId?: string | null) {
  if (can(identity.principal, permission, tenantId)) return;
  try {
    assertCan(identity.principal, permission, tenantId, await requestMetaFromHeaders());
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  redirect('/console/forbidden');
}

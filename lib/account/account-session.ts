import { getPrisma } from '@/lib/db';
import { cookieOnlyRequest, getTenantProvider } from '@/lib/oidc';

/**
 * The signed-in user of a tenant, from the provider's own (signed, httpOnly, tenant-scoped)
 * session cookie, or null.
 */
export async function getAccountSession(slug: string, cookieHeader: string) {
  const entry = await getTenantProvider(slug);
  if (!entry || entry.tenant.disabled) return null;
  const { req, res } = cookieOnlyRequest(cookieHeader, `/t/${slug}/account`);
  const session = await entry.provider.Session.get({ req, res } as never);
  if (!session?.accountId) return null;
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({ where: { id: session.accountId, tenantId: entry.tenant.id, disabled: false }, select: { id: true, username: true, name: true, email: true } });
  if (!user) return null;
  return { tenant: entry.tenant, user, acr: session.acr as string | undefined, authTime: session.authTime() as number | undefined };
}

/**
 * How recently the user must have proven who they are to add a second factor. The provider
 * session lasts days: without this, anyone at an unattended signed-in browser could attach their
 * own authenticator to an account that has none (NIST SP 800-63B §6.1.2.1: binding an
 * authenticator needs a fresh authentication). Removing a factor or regenerating codes asks for
 * a code or the password instead.
 */
export const RECENT_AUTHENTICATION_SECONDS = 10 * 60;

export const authenticatedRecently = (session: { authTime?: number }) =>
  typeof session.authTime === 'number' && Date.now() / 1000 - session.authTime <= RECENT_AUTHENTICATION_SECONDS;

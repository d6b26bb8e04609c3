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
  return { tenant: entry.tenant, user, acr: session.acr as string | undefined };
}

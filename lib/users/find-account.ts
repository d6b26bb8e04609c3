import { getPrisma } from '@/lib/db';

/** The standard claims (OIDC Core §5.1) of a tenant's user, or null if unknown or disabled. */
export async function findAccountClaims(tenantId: string, userId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({
    where: { id: userId, tenantId, disabled: false },
    select: { id: true, username: true, email: true, emailVerified: true, name: true, updatedAt: true },
  });
  if (!user) return null;
  return {
    sub: user.id,
    preferred_username: user.username,
    name: user.name ?? undefined,
    email: user.email ?? undefined,
    email_verified: user.email ? user.emailVerified : undefined,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
  };
}

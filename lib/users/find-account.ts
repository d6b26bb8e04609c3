import { getPrisma } from '@/lib/db';
import { isUuid } from '@/lib/db/uuid';

/**
 * Account lookups repeat within one grant (code exchange, refresh, userinfo): a 2-second cache
 * spares the database. Disabling a user also deletes their grants and tokens, so a cached
 * account never outlives its tokens; changes on this instance invalidate at once.
 */
const ACCOUNT_CACHE_MS = 2_000;
const KEY = Symbol.for('iam.users.accountCache');
type Claims = Awaited<ReturnType<typeof loadAccountClaims>>;
type WithCache = typeof globalThis & { [KEY]?: Map<string, { at: number; value: Promise<Claims> }> };
const cache = () => ((globalThis as WithCache)[KEY] ??= new Map());

export function invalidateAccount(tenantId: string, userId: string) {
  cache().delete(`${tenantId}:${userId}`);
}

/** The standard claims (OIDC Core §5.1) of a tenant's user, or null if unknown or disabled. */
export async function findAccountClaims(tenantId: string, userId: string): Promise<Claims> {
  if (!isUuid(userId)) return null;
  const map = cache();
  const key = `${tenantId}:${userId}`;
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < ACCOUNT_CACHE_MS) return hit.value;
  if (map.size > 10_000) map.clear();
  const value = loadAccountClaims(tenantId, userId);
  map.set(key, { at: Date.now(), value });
  value.catch(() => map.delete(key));
  return value;
}

async function loadAccountClaims(tenantId: string, userId: string) {
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({
    where: { id: userId, tenantId, disabled: false },
    // modifiedAt moves only when the profile changes (name, username, emails, …), not with sign-in
    // bookkeeping: updated_at is when "the End-User's information was last updated" (OIDC Core §5.1).
    select: { id: true, username: true, email: true, emailVerified: true, name: true, modifiedAt: true },
  });
  if (!user) return null;
  return {
    sub: user.id,
    preferred_username: user.username,
    name: user.name ?? undefined,
    email: user.email ?? undefined,
    email_verified: user.email ? user.emailVerified : undefined,
    updated_at: Math.floor(user.modifiedAt.getTime() / 1000),
  };
}

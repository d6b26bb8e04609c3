import { getPrisma } from '@/lib/db';
import { hashPassword, needsRehash, verifyAgainstDecoy, verifyPassword } from '@/lib/passwords';

export type AuthenticationResult =
  | { ok: true; user: { id: string; username: string } }
  | { ok: false; reason: 'invalid_credentials' | 'disabled'; userId?: string };

/**
 * Password check for the login form. Unknown users are verified against a decoy hash, so the
 * answer and its timing are the same as for a wrong password (no user enumeration). Hashes made
 * with older parameters are upgraded after a successful check.
 */
export async function authenticateUser(tenantId: string, login: string, password: string): Promise<AuthenticationResult> {
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({
    where: { tenantId, OR: [{ username: login }, { email: login }] },
    select: { id: true, username: true, passwordHash: true, disabled: true },
  });
  if (!user?.passwordHash) {
    await verifyAgainstDecoy(password);
    return { ok: false, reason: 'invalid_credentials', userId: user?.id };
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid) return { ok: false, reason: 'invalid_credentials', userId: user.id };
  // A disabled account is reported only after a correct password, and then as a generic
  // failure to the browser; the reason goes to the audit log.
  if (user.disabled) return { ok: false, reason: 'disabled', userId: user.id };

  const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
  await prisma.user.update({
    where: { id: user.id },
    data: { lastLoginAt: new Date(), ...(rehash ? { passwordHash: rehash } : {}) },
  });
  return { ok: true, user: { id: user.id, username: user.username } };
}

import { getPrisma, Prisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { hashPassword } from '@/lib/passwords';
import { passwordSchema, updateUserSchema, type UpdateUserInput } from './schemas';
import { assertTenantPasswordPolicy } from './password-policy';
import { invalidateAccount } from './find-account';
import { isLastActiveOwner } from '@/lib/authz/owner-guard';
import { isUuid } from '@/lib/db/uuid';

type Actor = { type: ActorType; id?: string | null };

async function requireUser(tenantId: string, userId: string) {
  const prisma = await getPrisma();
  const user = isUuid(userId) ? await prisma.user.findFirst({ where: { id: userId, tenantId }, select: { id: true, username: true } }) : null;
  if (!user) throw new AppError('not_found', 'no such user in this tenant');
  return user;
}

/**
 * Ends every provider session and grant of the user (their refresh tokens stop working) and, for
 * an administrator, their console sessions: a password reset, an MFA reset or disabling the
 * account must also evict whoever holds a stolen console session.
 */
export async function endUserSessions(tx: Prisma.TransactionClient, tenantId: string, userId: string) {
  const grants = await tx.$queryRaw<{ grant_id: string }[]>`
    SELECT DISTINCT grant_id FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND account_id = ${userId} AND grant_id IS NOT NULL`;
  await tx.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND (account_id = ${userId} OR grant_id = ANY(${grants.map((g) => g.grant_id)}::text[]))`;
  await tx.consoleSession.deleteMany({ where: { userId } });
}

/** In the admin tenant, refuses to disable or delete the last active owner (nobody could administer). */
async function keepAnOwner(tx: Prisma.TransactionClient, tenantId: string, userId: string) {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { isAdmin: true } });
  if (tenant?.isAdmin && (await isLastActiveOwner(tx, userId))) {
    throw new AppError('invalid_input', 'this user is the last active owner of the console: grant owner to another administrator first');
  }
}

export async function updateUser(tenantId: string, userId: string, input: UpdateUserInput, actor: Actor) {
  const data = updateUserSchema.parse(input);
  const user = await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  try {
    return await prisma.$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id: user.id }, data, select: { id: true, username: true, email: true, name: true, emailVerified: true } });
      invalidateAccount(tenantId, user.id);
      await recordEvent(tx, { type: 'user.updated', outcome: 'success', tenantId, actor, subject: user.id, details: { fields: Object.keys(data) } });
      return updated;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('conflict', 'another user already has that email');
    throw error;
  }
}

/** Disabling also ends the user's sessions and revokes their grants, at once. */
export async function setUserDisabled(tenantId: string, userId: string, disabled: boolean, actor: Actor) {
  const user = await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    if (disabled) await keepAnOwner(tx, tenantId, user.id);
    await tx.user.update({ where: { id: user.id }, data: { disabled } });
    if (disabled) await endUserSessions(tx, tenantId, user.id);
    await recordEvent(tx, { type: disabled ? 'user.disabled' : 'user.enabled', outcome: 'success', tenantId, actor, subject: user.id });
  });
}

export async function unlockUser(tenantId: string, userId: string, actor: Actor) {
  const user = await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lockedUntil: null, failedLoginCount: 0 } });
    await recordEvent(tx, { type: 'user.unlocked', outcome: 'success', tenantId, actor, subject: user.id });
  });
}

/** Sets a temporary password; the user must choose a new one at next sign-in. */
export async function setTemporaryPassword(tenantId: string, userId: string, password: string, actor: Actor) {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw new AppError('invalid_input', `password: ${parsed.error.issues[0].message}`, { field: 'password' });
  await assertTenantPasswordPolicy(tenantId, parsed.data);
  const user = await requireUser(tenantId, userId);
  const passwordHash = await hashPassword(parsed.data);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: true, failedLoginCount: 0, lockedUntil: null } });
    await endUserSessions(tx, tenantId, user.id);
    await recordEvent(tx, { type: 'user.password.reset', outcome: 'success', tenantId, actor, subject: user.id });
  });
}

export async function deleteUser(tenantId: string, userId: string, actor: Actor) {
  const user = await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    await keepAnOwner(tx, tenantId, user.id);
    await endUserSessions(tx, tenantId, user.id);
    // The user's console roles go with them (foreign-key cascade): record each as revoked.
    const bindings = await tx.adminRoleBinding.findMany({ where: { userId: user.id }, select: { id: true, role: true, scopeTenantId: true } });
    await tx.user.delete({ where: { id: user.id } });
    for (const binding of bindings) {
      await recordEvent(tx, { type: 'admin.role.revoked', outcome: 'success', tenantId, actor, subject: user.id, reason: 'user deleted', details: { bindingId: binding.id, role: binding.role, scopeTenantId: binding.scopeTenantId } });
    }
    await recordEvent(tx, { type: 'user.deleted', outcome: 'success', tenantId, actor, subject: user.id, details: { username: user.username } });
  });
}

/** The user's provider sessions and grants (client, scopes, times), for the console. */
export async function listUserSessionsAndGrants(tenantId: string, userId: string) {
  await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  const rows = await prisma.oidcPayload.findMany({
    where: { tenantId, accountId: userId, model: { in: ['Session', 'Grant'] }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    select: { model: true, id: true, payload: true, expiresAt: true },
  });
  type P = { iat?: number; clientId?: string; openid?: { scope?: string }; authorizations?: Record<string, unknown>; loginTs?: number };
  const sessions = rows.filter((r) => r.model === 'Session').map((r) => {
    const p = r.payload as P;
    return { id: r.id, signedInAt: p.loginTs ? new Date(p.loginTs * 1000) : null, clients: Object.keys(p.authorizations ?? {}), expiresAt: r.expiresAt };
  });
  const grants = rows.filter((r) => r.model === 'Grant').map((r) => {
    const p = r.payload as P;
    return { id: r.id, clientId: p.clientId ?? '', scope: p.openid?.scope ?? '', issuedAt: p.iat ? new Date(p.iat * 1000) : null, expiresAt: r.expiresAt };
  });
  return { sessions, grants };
}

export async function revokeUserSession(tenantId: string, userId: string, sessionId: string, actor: Actor) {
  await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const removed = await tx.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND model = 'Session' AND id = ${sessionId} AND account_id = ${userId}`;
    if (removed === 0) throw new AppError('not_found', 'no such session');
    await recordEvent(tx, { type: 'user.session.revoked', outcome: 'success', tenantId, actor, subject: userId });
  });
}

export async function revokeUserGrant(tenantId: string, userId: string, grantId: string, actor: Actor) {
  await requireUser(tenantId, userId);
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const owned = await tx.oidcPayload.findFirst({ where: { tenantId, model: 'Grant', id: grantId, accountId: userId }, select: { id: true } });
    if (!owned) throw new AppError('not_found', 'no such grant');
    await tx.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND grant_id = ${grantId}`;
    await recordEvent(tx, { type: 'user.grant.revoked', outcome: 'success', tenantId, actor, subject: userId, details: { grantId } });
  });
}

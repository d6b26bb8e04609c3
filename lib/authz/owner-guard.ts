import type { Prisma } from '@/lib/db';

/**
 * Whether `userId` is the console's last active all-tenant owner, under a lock on the owner
 * bindings (so two concurrent removals cannot both pass). Disabling, deleting or demoting that
 * user would leave nobody able to manage administrators: every path that can (console, admin
 * API, SCIM, role revocation) asks this first, inside its own transaction.
 */
export async function isLastActiveOwner(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  await tx.$queryRaw`SELECT id FROM admin_role_bindings WHERE role = 'owner' AND scope_tenant_id IS NULL FOR UPDATE`;
  const [{ mine, others }] = await tx.$queryRaw<{ mine: number; others: number }[]>`
    SELECT count(*) FILTER (WHERE b.user_id = ${userId}::uuid)::int AS mine,
           count(*) FILTER (WHERE b.user_id <> ${userId}::uuid AND NOT u.disabled)::int AS others
    FROM admin_role_bindings b JOIN users u ON u.id = b.user_id
    WHERE b.role = 'owner' AND b.scope_tenant_id IS NULL`;
  return mine > 0 && others === 0;
}

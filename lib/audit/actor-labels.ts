import { getPrisma } from '@/lib/db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Readable names for the user ids that appear in audit events (actors and subjects), in one
 * query per page: `username` for the admin tenant's people, `username@tenant` for everyone else.
 * Ids of deleted users simply stay ids: the log itself keeps only the id.
 */
export async function userLabels(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const prisma = await getPrisma();
  const users = await prisma.user.findMany({ where: { id: { in: wanted } }, select: { id: true, username: true, tenant: { select: { slug: true, isAdmin: true } } } });
  return new Map(users.map((u) => [u.id, u.tenant.isAdmin ? u.username : `${u.username}@${u.tenant.slug}`]));
}

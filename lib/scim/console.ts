import { getPrisma } from '@/lib/db';
import type { ActorType } from '@/lib/audit';
import { updateTenant } from '@/lib/tenants';

/** What the console's SCIM page shows: the groups and the users SCIM created in a tenant. */
export interface ScimOverview {
  userCount: number;
  provisionedUserCount: number;
  groupCount: number;
  groups: { id: string; displayName: string; externalId: string | null; memberCount: number; modifiedAt: Date }[];
  provisionedUsers: { id: string; username: string; name: string | null; externalId: string | null; disabled: boolean; createdAt: Date; modifiedAt: Date }[];
}

export async function scimOverview(tenantId: string, options: { limit?: number } = {}): Promise<ScimOverview> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const prisma = await getPrisma();
  const [userCount, provisionedUserCount, groupCount, groups, provisionedUsers] = await Promise.all([
    prisma.user.count({ where: { tenantId } }),
    prisma.user.count({ where: { tenantId, scimProvisioned: true } }),
    prisma.group.count({ where: { tenantId } }),
    prisma.group.findMany({
      where: { tenantId },
      orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, displayName: true, externalId: true, modifiedAt: true, _count: { select: { members: true } } },
    }),
    prisma.user.findMany({
      where: { tenantId, scimProvisioned: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, username: true, name: true, externalId: true, disabled: true, createdAt: true, modifiedAt: true },
    }),
  ]);
  return {
    userCount,
    provisionedUserCount,
    groupCount,
    groups: groups.map(({ _count, ...g }) => ({ ...g, memberCount: _count.members })),
    provisionedUsers,
  };
}

/** Whether SCIM clients may set passwords in this tenant (ServiceProviderConfig changePassword). */
export async function setScimPasswordPolicy(slug: string, accept: boolean, actor: { type: ActorType; id?: string | null }) {
  await updateTenant(slug, { settings: { scimAcceptsPasswords: accept } }, actor);
}

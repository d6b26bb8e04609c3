import { getPrisma, Prisma } from '@/lib/db';
import { listUsersSchema, type ListUsersInput } from './schemas';
import { isUuid } from '@/lib/db/uuid';

export interface UserSummary {
  id: string;
  username: string;
  email: string | null;
  name: string | null;
  disabled: boolean;
  locked: boolean;
  mustChangePassword: boolean;
  mfaEnrolled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

// LIKE wildcards in user input are literals.
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of a tenant's users, ordered by username, after the cursor. Search is a prefix match
 * on username, email or name, served by the text_pattern_ops indexes.
 */
export async function listUsers(tenantId: string, input: ListUsersInput = {}) {
  const { search, status, after, limit } = listUsersSchema.parse(input);
  const prisma = await getPrisma();
  const now = new Date();
  const where: Prisma.UserWhereInput = {
    tenantId,
    ...(search ? { OR: [{ username: { startsWith: escapeLike(search) } }, { email: { startsWith: escapeLike(search) } }, { name: { startsWith: search, mode: 'insensitive' } }] } : {}),
    ...(status === 'active' ? { disabled: false, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] } : {}),
    ...(status === 'disabled' ? { disabled: true } : {}),
    ...(status === 'locked' ? { lockedUntil: { gt: now } } : {}),
    ...(status === 'must_change_password' ? { mustChangePassword: true } : {}),
    ...(status === 'mfa_enrolled' ? { mfaFactors: { some: { confirmedAt: { not: null } } } } : {}),
    ...(status === 'mfa_missing' ? { mfaFactors: { none: { confirmedAt: { not: null } } } } : {}),
  };
  if (search && status === 'active') {
    // Both filters use OR: combine them under AND rather than let one overwrite the other.
    delete where.OR;
    where.AND = [
      { OR: [{ username: { startsWith: escapeLike(search) } }, { email: { startsWith: escapeLike(search) } }, { name: { startsWith: search, mode: 'insensitive' } }] },
      { OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    ];
  }
  const [rows, total] = await Promise.all([
    prisma.user.findMany({
      where: after ? { ...where, username: { gt: after } } : where,
      orderBy: { username: 'asc' },
      take: limit + 1,
      select: { id: true, username: true, email: true, name: true, disabled: true, lockedUntil: true, mustChangePassword: true, lastLoginAt: true, createdAt: true, mfaFactors: { where: { confirmedAt: { not: null } }, select: { id: true } } },
    }),
    prisma.user.count({ where }),
  ]);
  const page = rows.slice(0, limit).map(({ lockedUntil, mfaFactors, ...u }): UserSummary => ({ ...u, locked: lockedUntil !== null && lockedUntil > now, mfaEnrolled: mfaFactors.length > 0 }));
  return { users: page, total, nextCursor: rows.length > limit ? page[page.length - 1].username : null };
}

export async function getUserOrThrowDto(tenantId: string, userId: string) {
  const prisma = await getPrisma();
  const user = isUuid(userId)
    ? await prisma.user.findFirst({
        where: { id: userId, tenantId },
        select: { id: true, username: true, email: true, emailVerified: true, name: true, disabled: true, lockedUntil: true, failedLoginCount: true, mustChangePassword: true, lastLoginAt: true, createdAt: true, updatedAt: true },
      })
    : null;
  if (!user) {
    const { AppError } = await import('@/lib/errors');
    throw new AppError('not_found', 'no such user in this tenant');
  }
  return { ...user, locked: user.lockedUntil !== null && user.lockedUntil > new Date() };
}

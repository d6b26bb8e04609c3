import { getPrisma, Prisma } from '@/lib/db';
import { recordEvent } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { hashPassword } from '@/lib/passwords';
import type { Actor } from '@/lib/tenants';
import { createUserSchema, type CreateUserInput } from './schemas';
import { assertTenantPasswordPolicy } from './password-policy';

export async function createUser(tenantId: string, input: CreateUserInput, actor: Actor) {
  const data = createUserSchema.parse(input);
  if (data.password) await assertTenantPasswordPolicy(tenantId, data.password);
  // Imported lazily: lib/threats depends on lib/tenants, which depends on this module's neighbours.
  (await import('@/lib/threats')).screenEmailDomain(data.email, tenantId, 'email', { actor });
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  const prisma = await getPrisma();
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { tenantId, username: data.username, email: data.email, emailVerified: data.emailVerified, name: data.name, passwordHash },
        select: { id: true, tenantId: true, username: true, email: true, name: true },
      });
      await recordEvent(tx, { type: 'user.created', outcome: 'success', tenantId, actor, subject: user.id, details: { username: user.username } });
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', 'a user with that username or email already exists');
    }
    throw error;
  }
}

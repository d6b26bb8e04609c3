import { getConfig } from '@/lib/config';
import { getPrisma, Prisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { generateRsaSigningKey, insertKey } from '@/lib/keys';
import { ensureAccountClient } from '@/lib/account/account-client';
import { createTenantSchema, type CreateTenantInput } from './schemas';

export interface Actor {
  type: ActorType;
  id?: string | null;
}

/** Creates a tenant with its current and next signing keys, in one transaction. */
export async function createTenant(input: CreateTenantInput, actor: Actor) {
  const data = createTenantSchema.parse(input);
  const bits = getConfig().crypto.rsaKeySize;
  const [current, next] = await Promise.all([generateRsaSigningKey(bits), generateRsaSigningKey(bits)]);
  const prisma = await getPrisma();
  try {
    const created = await prisma.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { slug: data.slug, displayName: data.displayName, isAdmin: data.isAdmin } });
      await insertKey(tx, tenant.id, current, 'current');
      await insertKey(tx, tenant.id, next, 'next');
      await recordEvent(tx, {
        type: 'tenant.created',
        outcome: 'success',
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        actor,
        details: { slug: tenant.slug, currentKid: current.kid, nextKid: next.kid },
      });
      return tenant;
    });
    await ensureAccountClient(created);
    return created;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `a tenant with slug "${data.slug}" already exists`);
    }
    throw error;
  }
}

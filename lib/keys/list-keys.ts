import { getPrisma } from '@/lib/db';

export interface SigningKeyDto {
  kid: string;
  alg: string;
  bits: number;
  status: 'next' | 'current' | 'previous' | 'retired';
  createdAt: Date;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
  retireAfter: Date | null;
  retiredAt: Date | null;
}

/** A tenant's keys for the console: metadata only, never key material. */
export async function listSigningKeys(tenantId: string, { includeRetired = false } = {}): Promise<SigningKeyDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.signingKey.findMany({
    where: { tenantId, ...(includeRetired ? {} : { status: { not: 'retired' } }) },
    select: { kid: true, alg: true, bits: true, status: true, createdAt: true, activatedAt: true, deactivatedAt: true, retireAfter: true, retiredAt: true },
    orderBy: { createdAt: 'desc' },
  });
  const rank: Record<string, number> = { next: 0, current: 1, previous: 2, retired: 3 };
  return (rows as SigningKeyDto[]).sort((a, b) => rank[a.status] - rank[b.status] || b.createdAt.getTime() - a.createdAt.getTime());
}

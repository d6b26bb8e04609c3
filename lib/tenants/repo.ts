import { getPrisma } from '@/lib/db';

export interface TenantRecord {
  id: string;
  slug: string;
  displayName: string;
  isAdmin: boolean;
  disabled: boolean;
}

const SELECT = { id: true, slug: true, displayName: true, isAdmin: true, disabled: true } as const;

export async function findTenantBySlug(slug: string): Promise<TenantRecord | null> {
  const prisma = await getPrisma();
  return prisma.tenant.findUnique({ where: { slug }, select: SELECT });
}

export async function findAdminTenant(): Promise<TenantRecord | null> {
  const prisma = await getPrisma();
  return prisma.tenant.findFirst({ where: { isAdmin: true }, select: SELECT });
}

export async function listTenants(): Promise<TenantRecord[]> {
  const prisma = await getPrisma();
  return prisma.tenant.findMany({ select: SELECT, orderBy: { createdAt: 'asc' } });
}

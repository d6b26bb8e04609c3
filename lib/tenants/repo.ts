import { getPrisma } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { parseSettings, type TenantSettings } from './schemas';

export interface TenantRecord {
  id: string;
  slug: string;
  displayName: string;
  isAdmin: boolean;
  disabled: boolean;
  settings: TenantSettings;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = { id: true, slug: true, displayName: true, isAdmin: true, disabled: true, settings: true, createdAt: true, updatedAt: true } as const;
type Row = { settings: unknown } & Omit<TenantRecord, 'settings'>;
const toRecord = (row: Row): TenantRecord => ({ ...row, settings: parseSettings(row.settings) });

export async function findTenantBySlug(slug: string): Promise<TenantRecord | null> {
  const prisma = await getPrisma();
  const row = await prisma.tenant.findUnique({ where: { slug }, select: SELECT });
  return row ? toRecord(row) : null;
}

export async function getTenantOrThrow(slug: string): Promise<TenantRecord> {
  const tenant = await findTenantBySlug(slug);
  if (!tenant) throw new AppError('not_found', `no tenant "${slug}"`);
  return tenant;
}

export async function findTenantById(id: string): Promise<TenantRecord | null> {
  const prisma = await getPrisma();
  const row = await prisma.tenant.findUnique({ where: { id }, select: SELECT });
  return row ? toRecord(row) : null;
}

export async function findAdminTenant(): Promise<TenantRecord | null> {
  const prisma = await getPrisma();
  const row = await prisma.tenant.findFirst({ where: { isAdmin: true }, select: SELECT });
  return row ? toRecord(row) : null;
}

/** Tenants, optionally limited to ids (a scoped principal), with their user and client counts. */
export async function listTenants(scope: 'all' | string[] = 'all') {
  const prisma = await getPrisma();
  const rows = await prisma.tenant.findMany({
    where: scope === 'all' ? {} : { id: { in: scope } },
    select: { ...SELECT, _count: { select: { users: true, clients: true } } },
    orderBy: [{ isAdmin: 'desc' }, { slug: 'asc' }],
  });
  return rows.map(({ _count, ...row }) => ({ ...toRecord(row), userCount: _count.users, clientCount: _count.clients }));
}

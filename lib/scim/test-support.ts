import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db';
import { findTenantBySlug, type TenantSettings } from '@/lib/tenants';
import { URN } from './constants';
import type { ScimContext } from './context';

/** For lib/scim unit tests: a tenant of their own (without signing keys) and a SCIM context for it. */
export async function scimTestContext(prefix = 'scim', settings: TenantSettings = {}): Promise<ScimContext> {
  const prisma = await getPrisma();
  const slug = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  await prisma.tenant.create({ data: { slug, displayName: slug, settings } });
  const tenant = (await findTenantBySlug(slug))!;
  return { tenant, token: { id: crypto.randomUUID(), name: 'test-token' }, meta: { ip: '192.0.2.1', userAgent: 'vitest' }, baseUrl: `http://localhost:3000/t/${slug}/scim/v2` };
}

export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [URN.user, ...(extra[URN.enterpriseUser] ? [URN.enterpriseUser] : [])], userName, ...extra });
export const groupBody = (displayName: string, members: string[] = [], extra: Record<string, unknown> = {}) => ({ schemas: [URN.group], displayName, members: members.map((value) => ({ value })), ...extra });
export const patchBody = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

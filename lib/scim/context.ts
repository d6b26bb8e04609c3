import { getConfig } from '@/lib/config';
import { getPrisma, Prisma } from '@/lib/db';
import type { TenantRecord } from '@/lib/tenants';

/** Who is calling and where: the tenant, the SCIM token (its name is the audit actor), the client. */
export interface ScimContext {
  tenant: TenantRecord;
  token: { id: string; name: string };
  meta: { ip: string | null; userAgent: string | null };
  /** `${publicOrigin}/t/${slug}/scim/v2`: the base of every meta.location and $ref. */
  baseUrl: string;
}

export type Tx = Prisma.TransactionClient;

export const scimBaseUrl = (slug: string) => `${getConfig().server.publicOrigin}/t/${slug}/scim/v2`;

export const actorOf = (ctx: ScimContext) => ({ type: 'scim' as const, id: ctx.token.name });

/** The audit fields every SCIM event carries. */
export const eventBase = (ctx: ScimContext) => ({
  tenantId: ctx.tenant.id,
  tenantSlug: ctx.tenant.slug,
  actor: actorOf(ctx),
  ip: ctx.meta.ip,
  userAgent: ctx.meta.userAgent,
});

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2034') return true;
  const text = JSON.stringify(error.meta ?? {});
  return /40001|40P01|deadlock|could not serialize/i.test(text) || /deadlock detected|could not serialize/i.test(error.message);
}

/**
 * One interactive transaction (use only `tx` inside: on PGlite the outer client would hang),
 * retried a few times on serialization failures and deadlocks (two writers touching the same
 * group and user in opposite orders).
 */
export async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const prisma = await getPrisma();
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn, { maxWait: 10_000, timeout: 60_000 });
    } catch (error) {
      if (attempt >= 4 || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

export { UUID_RE } from '@/lib/db/uuid';

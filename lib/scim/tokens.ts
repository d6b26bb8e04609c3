import { getPrisma } from '@/lib/db';
import { emitEvent, recordEvent, type ActorType } from '@/lib/audit';
import { deriveKey, hashSecret, randomSecret } from '@/lib/crypto';
import { AppError } from '@/lib/errors';
import type { TenantRecord } from '@/lib/tenants';
import { scimMetrics } from './metrics';
import { createScimTokenSchema, type CreateScimTokenInput } from './token-schema';
import { isUuid } from '@/lib/db/uuid';

/**
 * SCIM bearer tokens: one tenant each, SCIM only. The token is shown once; the database holds
 * an HMAC of it under a master-key subkey (256 random bits need no slow hash), looked up by that
 * hash. A token of another tenant, a revoked or an expired token are refused alike (401).
 */

const TOKEN_PREFIX = 'scim_';
const hashKey = () => deriveKey('scim-tokens');
export const hashScimToken = (token: string) => hashSecret(token, hashKey());

type Actor = { type: ActorType; id?: string | null };
/** `name`: a readable name of the creator, shown as createdBy (the audit event keeps the id). */
type Creator = Actor & { name?: string | null };
type Meta = { ip?: string | null; userAgent?: string | null };

export { createScimTokenSchema, type CreateScimTokenInput } from './token-schema';

export type ScimTokenStatus = 'active' | 'expired' | 'revoked';

export interface ScimTokenDto {
  id: string;
  name: string;
  /** The first characters, to recognise a token without revealing it. */
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: ScimTokenStatus;
}

type Row = { id: string; name: string; tokenPrefix: string; createdBy: string | null; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null };
const SELECT = { id: true, name: true, tokenPrefix: true, createdBy: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

function toDto(row: Row, now = new Date()): ScimTokenDto {
  const status: ScimTokenStatus = row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';
  return { id: row.id, name: row.name, prefix: row.tokenPrefix, createdBy: row.createdBy, createdAt: row.createdAt, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt, status };
}

/** Creates a token; the returned `token` is the only time it is ever available. */
export async function createScimToken(tenant: Pick<TenantRecord, 'id' | 'slug'>, input: CreateScimTokenInput, creator: Creator, meta: Meta = {}): Promise<{ token: string; record: ScimTokenDto }> {
  const data = createScimTokenSchema.parse(input);
  const { name: creatorName, ...actor } = creator;
  const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
  const prisma = await getPrisma();
  const record = await prisma.$transaction(async (tx) => {
    // Names identify the actor of every SCIM change in the audit log: unique among live tokens.
    const clash = await tx.scimToken.findFirst({ where: { tenantId: tenant.id, name: data.name, revokedAt: null }, select: { id: true } });
    if (clash) throw new AppError('conflict', `a token named "${data.name}" already exists in this tenant; revoke it or choose another name`, { field: 'name' });
    const row = await tx.scimToken.create({
      data: {
        tenantId: tenant.id,
        name: data.name,
        tokenHash: hashScimToken(token),
        tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 6),
        createdBy: creatorName ?? actor.id ?? actor.type,
        expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
      },
      select: SELECT,
    });
    await recordEvent(tx, { type: 'scim.token.created', outcome: 'success', tenantId: tenant.id, tenantSlug: tenant.slug, actor, subject: row.id, ip: meta.ip, userAgent: meta.userAgent, details: { name: row.name, expiresAt: row.expiresAt?.toISOString() ?? null } });
    return row;
  });
  return { token, record: toDto(record) };
}

export async function listScimTokens(tenantId: string): Promise<ScimTokenDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.scimToken.findMany({ where: { tenantId }, select: SELECT, orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }] });
  const now = new Date();
  return rows.map((r) => toDto(r, now));
}

/** Revokes a token of this tenant at once (the next request with it gets 401). */
export async function revokeScimToken(tenant: Pick<TenantRecord, 'id' | 'slug'>, tokenId: string, actor: Actor, meta: Meta = {}): Promise<ScimTokenDto> {
  if (!isUuid(tokenId)) throw new AppError('not_found', 'no such SCIM token in this tenant');
  const prisma = await getPrisma();
  return prisma.$transaction(async (tx) => {
    const row = await tx.scimToken.findFirst({ where: { id: tokenId, tenantId: tenant.id }, select: SELECT });
    if (!row) throw new AppError('not_found', 'no such SCIM token in this tenant');
    if (row.revokedAt) return toDto(row);
    const updated = await tx.scimToken.update({ where: { id: row.id }, data: { revokedAt: new Date() }, select: SELECT });
    await recordEvent(tx, { type: 'scim.token.revoked', outcome: 'success', tenantId: tenant.id, tenantSlug: tenant.slug, actor, subject: row.id, ip: meta.ip, userAgent: meta.userAgent, details: { name: row.name } });
    return toDto(updated);
  });
}

export type ScimAuthFailure = 'missing' | 'invalid' | 'wrong_tenant' | 'revoked' | 'expired';
export type ScimAuthResult = { ok: true; token: { id: string; name: string } } | { ok: false; reason: ScimAuthFailure };

// last_used_at is written at most once a minute per token: not one write per request.
const LAST_USED_GRANULARITY_MS = 60_000;

/** Checks `Authorization: Bearer <token>` for this tenant. Failures are counted and audited. */
export async function authenticateScimToken(tenant: Pick<TenantRecord, 'id' | 'slug'>, authorization: string | null, meta: Meta = {}): Promise<ScimAuthResult> {
  const fail = (reason: ScimAuthFailure, tokenId?: string): ScimAuthResult => {
    scimMetrics().authFailures.inc({ reason });
    emitEvent({ type: 'scim.auth.failed', outcome: 'failure', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'scim', id: null }, subject: tokenId ?? null, ip: meta.ip, userAgent: meta.userAgent, reason });
    return { ok: false, reason };
  };
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization ?? '');
  if (!match) return fail('missing');
  const token = match[1];
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return fail('invalid');
  const prisma = await getPrisma();
  const row = await prisma.scimToken.findUnique({ where: { tokenHash: hashScimToken(token) }, select: { id: true, tenantId: true, name: true, expiresAt: true, revokedAt: true, lastUsedAt: true } });
  if (!row) return fail('invalid');
  if (row.tenantId !== tenant.id) return fail('wrong_tenant', row.id);
  if (row.revokedAt) return fail('revoked', row.id);
  const now = new Date();
  if (row.expiresAt && row.expiresAt <= now) return fail('expired', row.id);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await prisma.scimToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } }] }, data: { lastUsedAt: now } });
  }
  return { ok: true, token: { id: row.id, name: row.name } };
}

import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { PrismaClient } from '@/lib/db';
import { findClientMetadata } from '@/lib/clients';
import { ACCOUNT_CLIENT_ID, accountRedirectUri } from '@/lib/account/account-client';
import { emitEvent } from '@/lib/audit';

/**
 * oidc-provider storage on Postgres (or PGlite) for one tenant: sessions, grants, codes,
 * tokens and interactions live in `oidc_payloads`, keyed by (tenant, model, id). Every method is
 * one SQL statement. Clients come from our own `oidc_clients` table (read-only here).
 */
export function createAdapterClass(prisma: PrismaClient, tenant: { id: string; slug: string; settings: { allowedGrantTypes?: string[] } }) {
  const tenantId = tenant.id;

  return class PrismaOidcAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const grantId = payload.grantId ?? (this.model === 'Grant' ? id : null);
      await prisma.$executeRaw`
        INSERT INTO oidc_payloads (tenant_id, model, id, payload, grant_id, user_code, uid, account_id, expires_at)
        VALUES (${tenantId}::uuid, ${this.model}, ${id}, ${JSON.stringify(payload)}::jsonb, ${grantId},
                ${payload.userCode ?? null}, ${payload.uid ?? null}, ${payload.accountId ?? null}, ${expiresAt})
        ON CONFLICT (tenant_id, model, id) DO UPDATE SET
          payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
          uid = EXCLUDED.uid, account_id = EXCLUDED.account_id, expires_at = EXCLUDED.expires_at`;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const metadata = await findClientMetadata(tenantId, id, tenant.settings.allowedGrantTypes);
        // The built-in account client follows the current public origin, whoever registered it.
        if (metadata && id === ACCOUNT_CLIENT_ID) return { ...metadata, redirect_uris: [accountRedirectUri(tenant.slug)] } as AdapterPayload;
        return metadata as AdapterPayload | undefined;
      }
      if (typeof id !== 'string' || id.length > 512) return undefined;
      return this.findWhere(prisma.$queryRaw<Row[]>`
        SELECT payload, consumed_at FROM oidc_payloads
        WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND id = ${id}
          AND (expires_at IS NULL OR expires_at > now())`);
    }

    async findByUid(uid: string) {
      return this.findWhere(prisma.$queryRaw<Row[]>`
        SELECT payload, consumed_at FROM oidc_payloads
        WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND uid = ${uid}
          AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`);
    }

    async findByUserCode(userCode: string) {
      return this.findWhere(prisma.$queryRaw<Row[]>`
        SELECT payload, consumed_at FROM oidc_payloads
        WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND user_code = ${userCode}
          AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`);
    }

    /**
     * Marks a code or refresh token used. The update only succeeds for the first caller, so two
     * processes racing to redeem the same code cannot both win (RFC 6749 §4.1.2: a code is used
     * once; a second use revokes what the first issued).
     */
    async consume(id: string) {
      const rows = await prisma.$queryRaw<{ grant_id: string | null }[]>`
        UPDATE oidc_payloads SET consumed_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND id = ${id} AND consumed_at IS NULL
        RETURNING grant_id`;
      if (rows.length === 0) {
        const [row] = await prisma.$queryRaw<{ grant_id: string | null }[]>`
          SELECT grant_id FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND id = ${id}`;
        if (row?.grant_id) await this.revokeByGrantId(row.grant_id);
        emitEvent({
          type: this.model === 'RefreshToken' ? 'token.refresh.reused' : 'token.code.replayed',
          outcome: 'failure',
          tenantId,
          tenantSlug: tenant.slug,
          actor: { type: 'client' },
          reason: 'concurrent redemption; grant revoked',
          details: { grantId: row?.grant_id },
        });
        throw new errors.InvalidGrant(`${this.model === 'RefreshToken' ? 'refresh token' : 'authorization code'} already used`);
      }
    }

    async destroy(id: string) {
      await prisma.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND model = ${this.model} AND id = ${id}`;
    }

    async revokeByGrantId(grantId: string) {
      await prisma.$executeRaw`DELETE FROM oidc_payloads WHERE tenant_id = ${tenantId}::uuid AND grant_id = ${grantId}`;
    }

    private async findWhere(query: Promise<Row[]>) {
      const [row] = await query;
      if (!row) return undefined;
      const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as AdapterPayload;
      return row.consumed_at ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) } : payload;
    }
  };
}

type Row = { payload: unknown; consumed_at: Date | string | null };

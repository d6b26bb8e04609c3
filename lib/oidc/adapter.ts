import type { Adapter, AdapterPayload } from 'oidc-provider';
import Provider, { errors } from 'oidc-provider';
import { getSql } from '@/lib/db/sql';
import { findClientMetadata } from '@/lib/clients';
import { ACCOUNT_CLIENT_ID, accountRedirectUri } from '@/lib/account/account-client';
import { emitEvent } from '@/lib/audit';

/** Token models whose rows carry their grant's id: their lookups fetch the grant in the same statement. */
const GRANT_BOUND_MODELS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken']);

/**
 * Grants read together with a token, per provider request. oidc-provider looks a token up and
 * then its grant (code exchange, refresh, userinfo, introspection): one statement each. The
 * token's lookup joins its grant, and the grant's lookup in the same request takes it from here,
 * once. Keyed by the request's Koa context, so nothing is ever served to another request, and
 * what is served is what a second statement would have read a moment earlier.
 */
type PrefetchedGrants = WeakMap<object, Map<string, AdapterPayload | null>>;

/** The provider request being served (oidc-provider keeps it in AsyncLocalStorage), if any. */
const currentProviderRequest = (): object | undefined => Provider.ctx;

export interface AdapterOptions {
  /** For tests: what identifies the current request (default: oidc-provider's current context). */
  currentRequest?: () => object | undefined;
}

type Row = { payload: unknown; consumed_at: Date | string | null };

function toPayload(row: Row): AdapterPayload {
  const payload = parseJson(row.payload);
  return row.consumed_at ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) } : payload;
}

const parseJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as AdapterPayload;

/**
 * Postgres text and jsonb cannot hold U+0000, and refuses a statement that carries one (22021,
 * 22P05). A key with NUL cannot name a stored row: it is simply not found (invalid_grant,
 * invalid_token, active:false, …), never a database error and a 500.
 */
const isStorableKey = (key: unknown): key is string => typeof key === 'string' && key.length <= 512 && !key.includes('\0');

/** A JSON text holding an escaped NUL (\u0000 preceded by an even number of backslashes). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/**
 * oidc-provider storage on Postgres (or PGlite) for one tenant: sessions, grants, codes,
 * tokens and interactions live in `oidc_payloads`, keyed by (tenant, model, id). Every method is
 * one SQL statement (a token's lookup also answers its grant's). Clients come from our own
 * `oidc_clients` table (read-only here).
 */
export function createAdapterClass(tenant: { id: string; slug: string; settings: { allowedGrantTypes?: string[] } }, options: AdapterOptions = {}) {
  const tenantId = tenant.id;
  const LIVE = '(expires_at IS NULL OR expires_at > now())';
  const currentRequest = options.currentRequest ?? currentProviderRequest;
  const prefetchedGrants: PrefetchedGrants = new WeakMap();

  /** The grant a token lookup in this request already read: a payload, null (none), or undefined (not read). */
  function takePrefetchedGrant(grantId: string): AdapterPayload | null | undefined {
    const request = currentRequest();
    const grants = request && prefetchedGrants.get(request);
    if (!grants?.has(grantId)) return undefined;
    const grant = grants.get(grantId)!;
    grants.delete(grantId);
    return grant;
  }

  return class OidcPayloadAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      const grantId = payload.grantId ?? (this.model === 'Grant' ? id : null);
      const json = JSON.stringify(payload);
      // What is stored comes from request parameters (state, nonce, login_hint, …): one with NUL
      // is a malformed request, answered the protocol's way (a redirect with invalid_request where
      // the client and redirect_uri are known), not a failed INSERT.
      if (ESCAPED_NUL.test(json)) throw new errors.InvalidRequest('request parameters must not contain the NUL character');
      const sql = await getSql();
      await sql.execute(
        `INSERT INTO oidc_payloads (tenant_id, model, id, payload, grant_id, user_code, uid, account_id, expires_at)
         VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, model, id) DO UPDATE SET
           payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
           uid = EXCLUDED.uid, account_id = EXCLUDED.account_id, expires_at = EXCLUDED.expires_at`,
        [tenantId, this.model, id, json, grantId, payload.userCode ?? null, payload.uid ?? null, payload.accountId ?? null, expiresAt],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const metadata = await findClientMetadata(tenantId, id, tenant.settings.allowedGrantTypes);
        // The built-in account client follows the current public origin, whoever registered it.
        if (metadata && id === ACCOUNT_CLIENT_ID) return { ...metadata, redirect_uris: [accountRedirectUri(tenant.slug)] } as AdapterPayload;
        return metadata as AdapterPayload | undefined;
      }
      if (!isStorableKey(id)) return undefined;
      if (this.model === 'Grant') {
        const prefetched = takePrefetchedGrant(id);
        if (prefetched !== undefined) return prefetched ?? undefined;
      }
      const request = GRANT_BOUND_MODELS.has(this.model) ? currentRequest() : undefined;
      return request ? this.findWithGrant(id, request) : this.findOne('id = $3', id);
    }

    /** A token and, in the same statement, its grant, kept for this request's grant lookup. */
    private async findWithGrant(id: string, request: object) {
      const sql = await getSql();
      const [row] = await sql.query<Row & { grant_id: string | null; grant_payload: unknown }>(
        `SELECT t.payload, t.consumed_at, t.grant_id, g.payload AS grant_payload
         FROM oidc_payloads t
         LEFT JOIN oidc_payloads g ON g.tenant_id = t.tenant_id AND g.model = 'Grant' AND g.id = t.grant_id
           AND (g.expires_at IS NULL OR g.expires_at > now())
         WHERE t.tenant_id = $1::uuid AND t.model = $2 AND t.id = $3 AND (t.expires_at IS NULL OR t.expires_at > now())
         LIMIT 1`,
        [tenantId, this.model, id],
      );
      if (!row) return undefined;
      if (row.grant_id) {
        let grants = prefetchedGrants.get(request);
        if (!grants) prefetchedGrants.set(request, (grants = new Map()));
        grants.set(row.grant_id, row.grant_payload ? parseJson(row.grant_payload) : null);
      }
      return toPayload(row);
    }

    async findByUid(uid: string) {
      return this.findOne('uid = $3', uid);
    }

    async findByUserCode(userCode: string) {
      return this.findOne('user_code = $3', userCode);
    }

    /**
     * Marks a code or refresh token used. The update only succeeds for the first caller, so two
     * processes racing to redeem the same code cannot both win (RFC 6749 §4.1.2: a code is used
     * once; a second use revokes what the first issued).
     */
    async consume(id: string) {
      const sql = await getSql();
      const rows = await sql.query<{ grant_id: string | null }>(
        `UPDATE oidc_payloads SET consumed_at = now()
         WHERE tenant_id = $1::uuid AND model = $2 AND id = $3 AND consumed_at IS NULL
         RETURNING grant_id`,
        [tenantId, this.model, id],
      );
      if (rows.length > 0) return;
      const [row] = await sql.query<{ grant_id: string | null }>('SELECT grant_id FROM oidc_payloads WHERE tenant_id = $1::uuid AND model = $2 AND id = $3', [tenantId, this.model, id]);
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

    async destroy(id: string) {
      const sql = await getSql();
      await sql.execute('DELETE FROM oidc_payloads WHERE tenant_id = $1::uuid AND model = $2 AND id = $3', [tenantId, this.model, id]);
    }

    async revokeByGrantId(grantId: string) {
      const sql = await getSql();
      await sql.execute('DELETE FROM oidc_payloads WHERE tenant_id = $1::uuid AND grant_id = $2', [tenantId, grantId]);
    }

    private async findOne(condition: string, value: string) {
      if (!isStorableKey(value)) return undefined;
      const sql = await getSql();
      const [row] = await sql.query<Row>(`SELECT payload, consumed_at FROM oidc_payloads WHERE tenant_id = $1::uuid AND model = $2 AND ${condition} AND ${LIVE} LIMIT 1`, [tenantId, this.model, value]);
      return row ? toPayload(row) : undefined;
    }
  };
}

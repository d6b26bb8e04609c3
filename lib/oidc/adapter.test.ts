import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getSql } from '@/lib/db/sql';
import { createTenant } from '@/lib/tenants';
import { createAdapterClass } from './adapter';

const system = { type: 'system' as const, id: 'test' };

describe('oidc-provider adapter: a token lookup also answers its grant lookup, within one request', () => {
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  beforeAll(async () => {
    await openMemoryDatabase();
    tenant = await createTenant({ slug: 'adapter-a', displayName: 'Adapter A' }, system);
  }, 120_000);
  afterAll(closeDatabase);

  /** Adapters whose "current request" is whatever the test says. */
  function adapters() {
    let request: object | undefined;
    const Adapter = createAdapterClass({ ...tenant, settings: {} }, { currentRequest: () => request });
    return { grants: new Adapter('Grant'), refreshTokens: new Adapter('RefreshToken'), sessions: new Adapter('Session'), enter: (r: object | undefined) => (request = r) };
  }

  async function countPayloads(grantId: string) {
    const sql = await getSql();
    const [row] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM oidc_payloads WHERE tenant_id = $1::uuid AND grant_id = $2', [tenant.id, grantId]);
    return row.n;
  }

  it('serves the grant read with the token once, to the same request only', async () => {
    const { grants, refreshTokens, enter } = adapters();
    await grants.upsert('g1', { jti: 'g1', kind: 'Grant', accountId: 'u1', clientId: 'c1' }, 3600);
    await refreshTokens.upsert('rt1', { jti: 'rt1', kind: 'RefreshToken', grantId: 'g1', accountId: 'u1' }, 3600);

    const requestA = {};
    enter(requestA);
    expect(await refreshTokens.find('rt1')).toMatchObject({ jti: 'rt1', grantId: 'g1' });
    // Deleted behind the adapter's back: only a lookup served from the token's read still sees it.
    await (await getSql()).execute(`DELETE FROM oidc_payloads WHERE tenant_id = $1::uuid AND model = 'Grant' AND id = 'g1'`, [tenant.id]);

    enter({}); // another request gets nothing of request A's reads
    expect(await grants.find('g1')).toBeUndefined();
    enter(requestA);
    expect(await grants.find('g1')).toMatchObject({ jti: 'g1', accountId: 'u1' });
    expect(await grants.find('g1')).toBeUndefined(); // once: the next lookup reads the database
  });

  it('a token whose grant is gone answers "no grant" without a second statement, and outside a request nothing is kept', async () => {
    const { grants, refreshTokens, enter } = adapters();
    await grants.upsert('g2', { jti: 'g2', kind: 'Grant', accountId: 'u2', clientId: 'c2' }, 3600);
    await refreshTokens.upsert('rt2', { jti: 'rt2', kind: 'RefreshToken', grantId: 'g2', accountId: 'u2' }, 3600);
    await grants.destroy('g2');

    const request = {};
    enter(request);
    expect(await refreshTokens.find('rt2')).toMatchObject({ jti: 'rt2' });
    await grants.upsert('g2', { jti: 'g2', kind: 'Grant', accountId: 'u2', clientId: 'c2' }, 3600);
    expect(await grants.find('g2')).toBeUndefined(); // as read with the token

    enter(undefined); // no provider request: plain lookups, nothing kept
    expect(await refreshTokens.find('rt2')).toMatchObject({ jti: 'rt2' });
    await grants.destroy('g2');
    expect(await grants.find('g2')).toBeUndefined();
    expect(await countPayloads('g2')).toBe(1); // the refresh token is still there
  });

  it('consumed tokens and expired grants read as before', async () => {
    const { grants, refreshTokens, enter } = adapters();
    await grants.upsert('g3', { jti: 'g3', kind: 'Grant', accountId: 'u3', clientId: 'c3' }, 3600);
    await refreshTokens.upsert('rt3', { jti: 'rt3', kind: 'RefreshToken', grantId: 'g3', accountId: 'u3' }, 3600);
    await refreshTokens.consume('rt3');
    await (await getSql()).execute(`UPDATE oidc_payloads SET expires_at = now() - interval '1 second' WHERE tenant_id = $1::uuid AND model = 'Grant' AND id = 'g3'`, [tenant.id]);

    enter({});
    const token = await refreshTokens.find('rt3');
    expect(token?.consumed).toEqual(expect.any(Number));
    expect(await grants.find('g3')).toBeUndefined();
  });
});

describe('oidc-provider adapter: U+0000, which Postgres refuses', () => {
  let tenant: Awaited<ReturnType<typeof createTenant>>;
  beforeAll(async () => {
    await openMemoryDatabase();
    tenant = await createTenant({ slug: 'adapter-nul', displayName: 'Adapter NUL' }, system);
  }, 120_000);
  afterAll(closeDatabase);

  it('a key with NUL is not found (no statement fails), for every kind of lookup', async () => {
    const Adapter = createAdapterClass({ ...tenant, settings: {} }, { currentRequest: () => ({}) });
    expect(await new Adapter('AuthorizationCode').find('a\0b')).toBeUndefined();
    expect(await new Adapter('AccessToken').find('a\0b')).toBeUndefined();
    expect(await new Adapter('Session').findByUid('a\0b')).toBeUndefined();
    expect(await new Adapter('Client').find('a\0b')).toBeUndefined();
  });

  it('a payload carrying NUL is refused as invalid_request; a literal backslash-u0000 text is stored', async () => {
    const interactions = new (createAdapterClass({ ...tenant, settings: {} }))('Interaction');
    await expect(interactions.upsert('i1', { jti: 'i1', kind: 'Interaction', params: { state: 'a\0b' } } as never, 60)).rejects.toMatchObject({ error: 'invalid_request', status: 400 });
    await interactions.upsert('i2', { jti: 'i2', kind: 'Interaction', params: { state: 'a\\u0000b', nonce: '\\\\u0000' } } as never, 60);
    expect(await interactions.find('i2')).toMatchObject({ params: { state: 'a\\u0000b', nonce: '\\\\u0000' } });
    expect(await interactions.find('i1')).toBeUndefined();
  });
});

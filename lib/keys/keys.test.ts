import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { loadSigningKeyset, rotateSigningKeys } from './index';

const system = { type: 'system' as const, id: 'test' };

describe('signing keys and rotation', () => {
  beforeAll(openMemoryDatabase, 120_000);
  afterAll(closeDatabase);

  it('creates a tenant with a current and a next 2048-bit RS256 key, private keys encrypted', async () => {
    const tenant = await createTenant({ slug: 'keys-a', displayName: 'Keys A' }, system);
    const prisma = await getPrisma();
    const rows = await prisma.signingKey.findMany({ where: { tenantId: tenant.id } });
    expect(rows.map((r) => r.status).sort()).toEqual(['current', 'next']);
    for (const row of rows) {
      expect(row.bits).toBe(2048);
      expect(row.alg).toBe('RS256');
      expect(row.privateKeyEnc).toMatch(/^v1\./);
      expect(row.privateKeyEnc).not.toContain('PRIVATE KEY');
      expect(JSON.stringify(row.publicJwk)).not.toContain('"d"');
    }
    const keyset = await loadSigningKeyset(prisma, tenant.id);
    expect(keyset.keys[0].kid).toBe(rows.find((r) => r.status === 'current')!.kid);
  });

  it('rotates next→current→previous, keeps the previous key published, and a token signed before still verifies', async () => {
    const tenant = await createTenant({ slug: 'keys-b', displayName: 'Keys B' }, system);
    const prisma = await getPrisma();
    const before = await loadSigningKeyset(prisma, tenant.id);
    const signingKey = await jose.importJWK(before.keys[0] as jose.JWK, 'RS256');
    const token = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: before.keys[0].kid }).setExpirationTime('1h').sign(signingKey);

    const result = await rotateSigningKeys({ tenantId: tenant.id, actor: system });
    expect(result.previousKid).toBe(before.keys[0].kid);
    expect(result.currentKid).toBe(before.keys[1].kid);

    const after = await loadSigningKeyset(prisma, tenant.id);
    expect(after.keys[0].kid).toBe(result.currentKid); // signs from now on
    expect(after.keys.map((k) => k.kid)).toContain(result.previousKid); // still published
    expect(after.keys.map((k) => k.kid)).toContain(result.nextKid);

    const publicJwks = { keys: after.keys.map(({ kty, n, e, kid, alg }) => ({ kty, n, e, kid, alg })) } as jose.JSONWebKeySet;
    await expect(jose.jwtVerify(token, jose.createLocalJWKSet(publicJwks))).resolves.toBeTruthy();

    const audit = await prisma.auditEvent.findFirst({ where: { tenantId: tenant.id, type: 'key.rotated' } });
    expect(audit).toMatchObject({ outcome: 'success', actorType: 'system' });
  });

  it('retires a previous key only after every token it signed has expired', async () => {
    const tenant = await createTenant({ slug: 'keys-c', displayName: 'Keys C' }, system);
    const prisma = await getPrisma();
    const first = await rotateSigningKeys({ tenantId: tenant.id, actor: system });
    await rotateSigningKeys({ tenantId: tenant.id, actor: system });
    let kids = (await loadSigningKeyset(prisma, tenant.id)).keys.map((k) => k.kid);
    expect(kids).toContain(first.previousKid); // two rotations in a row: still within retention
    expect(kids).toHaveLength(4);

    // Move the first previous key's retention into the past: it drops out and is retired next rotation.
    await prisma.signingKey.update({ where: { kid: first.previousKid! }, data: { retireAfter: new Date(Date.now() - 1000) } });
    kids = (await loadSigningKeyset(prisma, tenant.id)).keys.map((k) => k.kid);
    expect(kids).not.toContain(first.previousKid);
    await rotateSigningKeys({ tenantId: tenant.id, actor: system });
    expect((await prisma.signingKey.findUnique({ where: { kid: first.previousKid! } }))!.status).toBe('retired');
  });

  it('serialises concurrent rotations: one current key, no lost next key', async () => {
    const tenant = await createTenant({ slug: 'keys-d', displayName: 'Keys D' }, system);
    const prisma = await getPrisma();
    await Promise.all([1, 2, 3].map(() => rotateSigningKeys({ tenantId: tenant.id, actor: system })));
    const rows = await prisma.signingKey.findMany({ where: { tenantId: tenant.id } });
    expect(rows.filter((r) => r.status === 'current')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'next')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'previous')).toHaveLength(3);
  });
});

describe('scheduled rotation', () => {
  beforeAll(openMemoryDatabase, 120_000);

  it('rotates only tenants whose current key is older than KEY_ROTATION_DAYS, once', async () => {
    const { rotateDueKeys } = await import('./index');
    const prisma = await getPrisma();
    const old = await createTenant({ slug: 'sched-old', displayName: 'Old' }, system);
    const fresh = await createTenant({ slug: 'sched-new', displayName: 'New' }, system);
    await prisma.signingKey.updateMany({ where: { tenantId: old.id, status: 'current' }, data: { activatedAt: new Date(Date.now() - 91 * 86_400_000) } });
    const rotated = await Promise.all([rotateDueKeys(), rotateDueKeys()]);
    expect(rotated.flat()).toEqual(['sched-old']);
    expect(await prisma.signingKey.count({ where: { tenantId: old.id, status: 'previous' } })).toBe(1);
    expect(await prisma.signingKey.count({ where: { tenantId: fresh.id, status: 'previous' } })).toBe(0);
    const event = await prisma.auditEvent.findFirst({ where: { tenantId: old.id, type: 'key.rotated' } });
    expect(event).toMatchObject({ actorType: 'system', actorId: 'key-rotation-schedule', reason: 'scheduled' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { flushEvents } from '@/lib/audit';
import type { ScimContext } from './context';
import { scimTestContext } from './test-support';
import { authenticateScimToken, createScimToken, listScimTokens, revokeScimToken } from './tokens';

const admin = { type: 'admin' as const, id: 'alice' };

describe('SCIM tokens', () => {
  let a: ScimContext;
  let b: ScimContext;
  beforeAll(async () => {
    await openMemoryDatabase();
    a = await scimTestContext('tok-a');
    b = await scimTestContext('tok-b');
  }, 120_000);
  afterAll(closeDatabase);

  it('is shown once, stored as a keyed hash, and works only at its own tenant', async () => {
    const { token, record } = await createScimToken(a.tenant, { name: 'Entra ID' }, admin, { ip: '192.0.2.9' });
    expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'Entra ID', status: 'active', createdBy: 'alice', expiresAt: null, lastUsedAt: null, prefix: token.slice(0, 11) });
    const prisma = await getPrisma();
    const row = await prisma.scimToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.tokenHash).toMatch(/^hmac-sha256\$/);
    expect(JSON.stringify(row)).not.toContain(token.slice(5));

    expect(await authenticateScimToken(a.tenant, `Bearer ${token}`)).toEqual({ ok: true, token: { id: record.id, name: 'Entra ID' } });
    expect(await authenticateScimToken(a.tenant, `bearer ${token}`)).toMatchObject({ ok: true });
    expect(await authenticateScimToken(b.tenant, `Bearer ${token}`)).toEqual({ ok: false, reason: 'wrong_tenant' });
    expect(await authenticateScimToken(a.tenant, `Bearer ${token}x`)).toEqual({ ok: false, reason: 'invalid' });
    expect(await authenticateScimToken(a.tenant, null)).toEqual({ ok: false, reason: 'missing' });
    expect(await authenticateScimToken(a.tenant, `Basic ${Buffer.from('a:b').toString('base64')}`)).toEqual({ ok: false, reason: 'missing' });
    expect((await listScimTokens(a.tenant.id))[0].lastUsedAt).toBeInstanceOf(Date);
    expect(await listScimTokens(b.tenant.id)).toEqual([]);

    await flushEvents();
    const failed = await prisma.auditEvent.findFirstOrThrow({ where: { tenantId: b.tenant.id, type: 'scim.auth.failed' } });
    expect(failed).toMatchObject({ outcome: 'failure', reason: 'wrong_tenant', subject: record.id });
    expect(await prisma.auditEvent.findFirst({ where: { type: 'scim.token.created', subject: record.id } })).toMatchObject({ actorType: 'admin', actorId: 'alice', ip: '192.0.2.9' });
  });

  it('revocation and expiry refuse the token at once', async () => {
    const { token, record } = await createScimToken(a.tenant, { name: 'Okta', expiresInDays: 30 }, admin);
    expect(record.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(await authenticateScimToken(a.tenant, `Bearer ${token}`)).toMatchObject({ ok: true });
    const revoked = await revokeScimToken(a.tenant, record.id, admin);
    expect(revoked.status).toBe('revoked');
    expect(await authenticateScimToken(a.tenant, `Bearer ${token}`)).toEqual({ ok: false, reason: 'revoked' });
    await expect(revokeScimToken(b.tenant, record.id, admin)).rejects.toMatchObject({ code: 'not_found' });

    const expiring = await createScimToken(a.tenant, { name: 'Short-lived' }, admin);
    const prisma = await getPrisma();
    await prisma.scimToken.update({ where: { id: expiring.record.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateScimToken(a.tenant, `Bearer ${expiring.token}`)).toEqual({ ok: false, reason: 'expired' });
    expect((await listScimTokens(a.tenant.id)).find((t) => t.id === expiring.record.id)?.status).toBe('expired');
  });

  it('names are required and unique among live tokens of a tenant', async () => {
    await expect(createScimToken(a.tenant, { name: '  ' }, admin)).rejects.toThrow();
    await createScimToken(a.tenant, { name: 'Workday' }, admin);
    await expect(createScimToken(a.tenant, { name: 'Workday' }, admin)).rejects.toMatchObject({ code: 'conflict' });
    await expect(createScimToken(b.tenant, { name: 'Workday' }, admin)).resolves.toBeTruthy();
    // "Okta" was revoked above: its name can be used again.
    await expect(createScimToken(a.tenant, { name: 'Okta' }, admin)).resolves.toBeTruthy();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { flushEvents } from '@/lib/audit';
import { createTenant } from '@/lib/tenants';
import { createUser, deleteUser, setTemporaryPassword, setUserDisabled } from '@/lib/users';
import { createClientOp, runOperation, setUserPasswordOp, type RequestMeta } from '@/lib/admin-api';
import { grantRole, revokeRole, type Principal } from './index';

const actor = { type: 'admin' as const, id: 'test-owner' };
const meta: RequestMeta = { ip: '127.0.0.1', userAgent: 'vitest' };
const input = (params: Record<string, string>, body: unknown) => ({ params, query: {}, readBody: async () => body });
const allTenants = (role: 'admin' | 'helpdesk' | 'owner'): Principal => ({ kind: 'user', id: `someone-${role}`, name: role, grants: [{ role, tenantId: null }] });

describe('the admin tenant and its owners', () => {
  let adminTenantId: string;
  let acmeId: string;
  beforeAll(async () => {
    await openMemoryDatabase();
    adminTenantId = (await createTenant({ slug: 'admin', displayName: 'Administration', isAdmin: true }, actor)).id;
    acmeId = (await createTenant({ slug: 'acme', displayName: 'Acme' }, actor)).id;
  }, 120_000);
  afterAll(closeDatabase);

  it("an all-tenant admin or helpdesk cannot reset an administrator's password; an owner can; other tenants are unaffected", async () => {
    const owner = await createUser(adminTenantId, { username: 'olive' }, actor);
    const customer = await createUser(acmeId, { username: 'carl' }, actor);
    const reset = { password: 'a-new-temporary-pass' };
    for (const role of ['admin', 'helpdesk'] as const) {
      await expect(runOperation(setUserPasswordOp, allTenants(role), meta, input({ slug: 'admin', userId: owner.id }, reset))).rejects.toMatchObject({ code: 'forbidden' });
      await runOperation(setUserPasswordOp, allTenants(role), meta, input({ slug: 'acme', userId: customer.id }, reset));
    }
    await runOperation(setUserPasswordOp, allTenants('owner'), meta, input({ slug: 'admin', userId: owner.id }, reset));
    await flushEvents();
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.count({ where: { type: 'admin.access.denied', details: { path: ['permission'], equals: 'admin.manage' } } })).toBeGreaterThanOrEqual(2);
  });

  it('the admin API cannot register first-party clients (they skip consent) or choose client ids', async () => {
    const created = (await runOperation(createClientOp, allTenants('admin'), meta, input({ slug: 'acme' }, { name: 'Sneaky', kind: 'web', redirectUris: ['https://app.example.com/cb'], firstParty: true, clientId: 'chosen-by-caller' }))) as { clientId: string };
    expect(created.clientId).not.toBe('chosen-by-caller');
    const prisma = await getPrisma();
    const row = await prisma.oidcClient.findFirstOrThrow({ where: { clientId: created.clientId } });
    expect(row.metadata).not.toHaveProperty('first_party');
  });

  it('never disables, deletes or demotes the last active owner; deleting an administrator records the roles it removes', async () => {
    const prisma = await getPrisma();
    await prisma.adminRoleBinding.deleteMany({});
    const ada = await createUser(adminTenantId, { username: 'ada' }, actor);
    const bob = await createUser(adminTenantId, { username: 'bob' }, actor);
    const adaOwner = await grantRole({ username: 'ada', role: 'owner' }, actor);
    await expect(setUserDisabled(adminTenantId, ada.id, true, actor)).rejects.toThrow(/last active owner/);
    await expect(deleteUser(adminTenantId, ada.id, actor)).rejects.toThrow(/last active owner/);

    // A second owner who is disabled does not count.
    const bobOwner = await grantRole({ username: 'bob', role: 'owner' }, actor);
    await setUserDisabled(adminTenantId, bob.id, true, actor);
    await expect(revokeRole(adaOwner.id, actor)).rejects.toThrow(/last active owner/);
    await expect(setUserDisabled(adminTenantId, ada.id, true, actor)).rejects.toThrow(/last active owner/);

    await setUserDisabled(adminTenantId, bob.id, false, actor);
    await deleteUser(adminTenantId, ada.id, actor);
    const revoked = await prisma.auditEvent.findFirstOrThrow({ where: { type: 'admin.role.revoked', subject: ada.id } });
    expect(revoked.details).toMatchObject({ bindingId: adaOwner.id, role: 'owner' });
    expect(await prisma.adminRoleBinding.count({ where: { id: bobOwner.id } })).toBe(1);
  });

  it("a password reset or disabling ends the user's console sessions", async () => {
    const prisma = await getPrisma();
    const eve = await createUser(adminTenantId, { username: 'eve' }, actor);
    const session = () => prisma.consoleSession.create({ data: { id: `s-${Math.random()}`, userId: eve.id, expiresAt: new Date(Date.now() + 3_600_000), lastSeenAt: new Date() } });
    await session();
    await setTemporaryPassword(adminTenantId, eve.id, 'another-temp-pass', actor);
    expect(await prisma.consoleSession.count({ where: { userId: eve.id } })).toBe(0);
    await session();
    await setUserDisabled(adminTenantId, eve.id, true, actor);
    expect(await prisma.consoleSession.count({ where: { userId: eve.id } })).toBe(0);
  });
});

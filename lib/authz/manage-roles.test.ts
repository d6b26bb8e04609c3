import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';
import { grantRole, listRoleBindings, loadGrants, revokeRole } from './index';

const actor = { type: 'admin' as const, id: 'test-owner' };

describe('console role bindings', () => {
  let adminTenantId: string;
  beforeAll(async () => {
    await openMemoryDatabase();
    adminTenantId = (await createTenant({ slug: 'admin', displayName: 'Administration', isAdmin: true }, actor)).id;
    await createTenant({ slug: 'acme', displayName: 'Acme' }, actor);
  }, 120_000);
  afterAll(closeDatabase);

  it('grants a scoped role to an administrator by username, audited, and refuses duplicates and strangers', async () => {
    const user = await createUser(adminTenantId, { username: 'hank' }, actor);
    const granted = await grantRole({ username: 'Hank', role: 'helpdesk', tenantSlug: 'acme' }, actor);
    const prisma = await getPrisma();
    const acme = await prisma.tenant.findUniqueOrThrow({ where: { slug: 'acme' } });
    expect(await loadGrants({ userId: user.id })).toEqual([{ role: 'helpdesk', tenantId: acme.id }]);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { type: 'admin.role.granted', subject: user.id } });
    expect(event).toMatchObject({ actorId: 'test-owner', outcome: 'success', tenantId: adminTenantId });
    expect(event.details).toMatchObject({ role: 'helpdesk', scopeTenantSlug: 'acme', bindingId: granted.id });

    await expect(grantRole({ username: 'hank', role: 'helpdesk', tenantSlug: 'acme' }, actor)).rejects.toMatchObject({ code: 'conflict' });
    await expect(grantRole({ username: 'nobody', role: 'auditor' }, actor)).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'username' } });
    await expect(grantRole({ username: 'hank', role: 'auditor', tenantSlug: 'no-such' }, actor)).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'tenantSlug' } });
    await expect(grantRole({ username: 'hank', role: 'superuser' as never }, actor)).rejects.toThrow();
    // A user of another tenant is not an administrator.
    const acmeUser = await createUser(acme.id, { username: 'mallory' }, actor);
    await expect(grantRole({ username: 'mallory', role: 'owner' }, actor)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await loadGrants({ userId: acmeUser.id })).toEqual([]);

    const listed = (await listRoleBindings()).find((b) => b.id === granted.id);
    expect(listed).toMatchObject({ role: 'helpdesk', user: { username: 'hank' }, tenant: { slug: 'acme' } });

    await revokeRole(granted.id, actor);
    expect(await loadGrants({ userId: user.id })).toEqual([]);
    expect(await prisma.auditEvent.count({ where: { type: 'admin.role.revoked', subject: user.id } })).toBe(1);
    await expect(revokeRole(granted.id, actor)).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeRole('not-a-uuid', actor)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never removes the last all-tenant owner', async () => {
    await createUser(adminTenantId, { username: 'olga' }, actor);
    await createUser(adminTenantId, { username: 'otto' }, actor);
    const first = await grantRole({ username: 'olga', role: 'owner' }, actor);
    await expect(revokeRole(first.id, actor)).rejects.toMatchObject({ code: 'invalid_input' });
    const second = await grantRole({ username: 'otto', role: 'owner' }, actor);
    await revokeRole(first.id, actor);
    await expect(revokeRole(second.id, actor)).rejects.toThrow(/last active owner/);
  });
});

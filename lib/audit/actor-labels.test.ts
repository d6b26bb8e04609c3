import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';
import { userLabels } from './actor-labels';

const system = { type: 'system' as const, id: 'test' };

describe('audit actor labels', () => {
  beforeAll(() => openMemoryDatabase(), 120_000);
  afterAll(closeDatabase);

  it('names users by username (with their tenant unless it is the admin tenant) and leaves other ids alone', async () => {
    const tenant = await createTenant({ slug: 'labels', displayName: 'Labels' }, system);
    const user = await createUser(tenant.id, { username: 'carol', password: 'a long enough password' }, system);
    const prisma = await getPrisma();
    const adminTenant = await prisma.tenant.create({ data: { slug: 'labels-admin', displayName: 'Admins', isAdmin: true } });
    const admin = await createUser(adminTenant.id, { username: 'dave', password: 'a long enough password' }, system);

    const labels = await userLabels([user.id, admin.id, 'test-seed', null, undefined, '00000000-0000-4000-8000-000000000000', user.id]);
    expect(Object.fromEntries(labels)).toEqual({ [user.id]: 'carol@labels', [admin.id]: 'dave' });
    expect((await userLabels([])).size).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';
import { checkLoginAllowed, checkSecondFactorAllowed } from './login';
import { createPolicy, invalidatePolicyCache } from './policies';
import { delayAfterFailure, forgetFailures } from './failure-delay';

const actor = { type: 'system' as const, id: 'test' };

describe('sign-in gate', () => {
  let tenant: { id: string; slug: string };
  beforeAll(async () => {
    await openMemoryDatabase();
    tenant = await createTenant({ slug: 'gate', displayName: 'Gate' }, actor);
  }, 120_000);
  afterAll(closeDatabase);

  it("a per-user limit spent by strangers still lets the account in from an address it signed in from before", async () => {
    const user = await createUser(tenant.id, { username: 'owner' }, actor);
    await (await getPrisma()).user.update({ where: { id: user.id }, data: { knownLoginIps: ['198.51.100.10'] } });
    await createPolicy(tenant.id, { endpoint: 'login', keyType: 'user', limit: 2, windowSeconds: 600, action: 'reject' }, actor);
    invalidatePolicyCache();
    // An attacker spends the budget naming the victim from elsewhere…
    for (let i = 0; i < 2; i++) expect((await checkLoginAllowed(tenant, 'Owner', '203.0.113.66')).allowed).toBe(true);
    expect(await checkLoginAllowed(tenant, 'owner', '203.0.113.66')).toMatchObject({ allowed: false, reason: 'account_rate_limit' });
    expect((await checkLoginAllowed(tenant, 'owner', '203.0.113.67')).allowed).toBe(false);
    // …but the owner's usual address is not refused.
    expect((await checkLoginAllowed(tenant, 'owner', '198.51.100.10')).allowed).toBe(true);
  });

  it('per-account policies on the second-factor forms are enforced; step-up is only accepted for the login form', async () => {
    const user = await createUser(tenant.id, { username: 'mfa-user' }, actor);
    await createPolicy(tenant.id, { endpoint: 'mfa', keyType: 'user', limit: 2, windowSeconds: 600, action: 'reject' }, actor);
    invalidatePolicyCache();
    expect((await checkSecondFactorAllowed(tenant, user.id, '203.0.113.5')).allowed).toBe(true);
    expect((await checkSecondFactorAllowed(tenant, user.id, '203.0.113.6')).allowed).toBe(true);
    expect(await checkSecondFactorAllowed(tenant, user.id, '203.0.113.7')).toMatchObject({ allowed: false });
    await expect(createPolicy(tenant.id, { endpoint: 'authorization', keyType: 'ip', limit: 5, windowSeconds: 60, action: 'step_up' }, actor)).rejects.toThrow(/login form/);
  });

  it('the failure delay grows the same for an existing and an unknown name, and a success resets it', () => {
    const existing = [1, 2, 3, 4, 5].map(() => delayAfterFailure(tenant.id, 'owner'));
    const unknown = [1, 2, 3, 4, 5].map(() => delayAfterFailure(tenant.id, 'nobody-by-that-name'));
    expect(existing).toEqual(unknown);
    expect(existing.at(-1)).toBeGreaterThan(0);
    forgetFailures(tenant.id, 'OWNER');
    expect(delayAfterFailure(tenant.id, 'owner')).toBe(0);
  });
});

import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { authenticateUser, createUser, PASSWORD_MAX_FAILURES } from '.';

const actor = { type: 'system' as const, id: 'test' };
const password = 'correct horse battery';
const HOME_IP = '198.51.100.7';
const ATTACKER_IP = '203.0.113.9';

/** Password lockout under concurrency, on the database. */
describe('authenticateUser lockout (on PGlite)', () => {
  let tenantId: string;
  beforeAll(async () => {
    await openMemoryDatabase();
    const prisma = await getPrisma();
    const slug = `auth-${crypto.randomBytes(4).toString('hex')}`;
    tenantId = (await prisma.tenant.create({ data: { slug, displayName: slug, settings: {} } })).id;
  }, 120_000);
  afterAll(closeDatabase);

  const row = async (id: string) => (await getPrisma()).user.findUniqueOrThrow({ where: { id }, select: { failedLoginCount: true, lockedUntil: true } });

  it('counts every one of a burst of parallel wrong passwords and locks once', async () => {
    const user = await createUser(tenantId, { username: 'dave', password }, actor);
    // The owner's usual address: a lockout never applies there.
    expect(await authenticateUser(tenantId, 'dave', password, HOME_IP)).toMatchObject({ ok: true });

    const burst = PASSWORD_MAX_FAILURES + 2;
    const results = await Promise.all(Array.from({ length: burst }, (_, i) => authenticateUser(tenantId, 'dave', `wrong guess ${i}`, ATTACKER_IP)));
    expect(results.every((r) => !r.ok)).toBe(true);
    const failures = results.map((r) => (!r.ok && r.failures) || 0);
    // Each failure got its own count (an atomic increment), not all the same `previous + 1`.
    expect(new Set(failures.filter((n) => n >= PASSWORD_MAX_FAILURES)).size).toBe(failures.filter((n) => n >= PASSWORD_MAX_FAILURES).length);
    expect(Math.max(...failures)).toBeGreaterThanOrEqual(PASSWORD_MAX_FAILURES);
    expect(results.filter((r) => !r.ok && r.lockedNow)).toHaveLength(1);
    expect((await row(user.id)).lockedUntil!.getTime()).toBeGreaterThan(Date.now());

    // The right password is refused during the lock from elsewhere, accepted from home.
    expect(await authenticateUser(tenantId, 'dave', password, ATTACKER_IP)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await authenticateUser(tenantId, 'dave', password)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await authenticateUser(tenantId, 'dave', password, HOME_IP)).toMatchObject({ ok: true });
    expect(await row(user.id)).toEqual({ failedLoginCount: 0, lockedUntil: null });
  });

  it('counts sequential failures one by one and locks at the limit', async () => {
    const user = await createUser(tenantId, { username: 'erin', password }, actor);
    for (let i = 1; i < PASSWORD_MAX_FAILURES; i++) {
      expect(await authenticateUser(tenantId, 'erin', 'not the password')).toEqual({ ok: false, reason: 'invalid_credentials', userId: user.id, failures: i, lockedNow: false });
    }
    expect(await authenticateUser(tenantId, 'erin', 'not the password')).toEqual({ ok: false, reason: 'locked', userId: user.id, failures: PASSWORD_MAX_FAILURES, lockedNow: true });
    // The lock starts the count again, as before.
    expect((await row(user.id)).failedLoginCount).toBe(0);
    expect(await authenticateUser(tenantId, 'erin', password)).toEqual({ ok: false, reason: 'locked', userId: user.id });
  });

  it('an unknown user gets the answer a wrong password gets, and counts nothing', async () => {
    expect(await authenticateUser(tenantId, 'nobody-here', password)).toEqual({ ok: false, reason: 'invalid_credentials', userId: undefined });
  });
});

import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';
import { confirmTotpEnrolment, lockDuration, MFA_MAX_ATTEMPTS, startTotpEnrolment, verifySecondFactor } from './index';

const system = { type: 'system' as const, id: 'test' };
const codeAt = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
const WRONG = '000000';

/** Second-factor attempt limits under concurrency, on the database. */
describe('second-factor lockout', () => {
  let tenant: { id: string; slug: string };
  let userId: string;
  let secret: string;

  const row = async () => (await getPrisma()).user.findUniqueOrThrow({ where: { id: userId }, select: { mfaFailedCount: true, mfaLockedUntil: true } });
  const lockouts = async () => (await getPrisma()).auditEvent.count({ where: { type: 'user.mfa.locked', subject: userId } });
  /** Lets the current lock run out, as time passing would. */
  const expireLock = async () => (await getPrisma()).user.update({ where: { id: userId }, data: { mfaLockedUntil: new Date(Date.now() - 1000) } });
  const rightCode = () => codeAt(secret);

  beforeAll(async () => {
    await openMemoryDatabase();
    const created = await createTenant({ slug: 'mfa-lockout', displayName: 'MFA Lockout' }, system);
    tenant = created;
    const user = await createUser(created.id, { username: 'carol', password: 'correct horse battery' }, system);
    userId = user.id;
    secret = (await startTotpEnrolment(created, user)).secret;
    await confirmTotpEnrolment(created, userId, await codeAt(secret));
  }, 120_000);
  afterAll(closeDatabase);

  beforeEach(async () => {
    const prisma = await getPrisma();
    await prisma.user.update({ where: { id: userId }, data: { mfaFailedCount: 0, mfaLockedUntil: null } });
    await prisma.auditEvent.deleteMany({ where: { type: 'user.mfa.locked', subject: userId } });
    // Each test may use the current code once more (replay protection is tested in mfa.test.ts).
    await prisma.mfaFactor.updateMany({ where: { userId }, data: { lastUsedStep: null } });
  });

  it('a burst of parallel wrong codes gets only the allowance checked, then locks; a right code is refused while locked', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => verifySecondFactor(tenant, userId, WRONG)));
    expect(results.every((r) => !r.ok)).toBe(true);
    // Each attempt counted: exactly the allowance was checked (4 wrong + the one that locked), the rest refused unchecked.
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(MFA_MAX_ATTEMPTS - 1);
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(12 - MFA_MAX_ATTEMPTS + 1);
    const after = await row();
    expect(after.mfaFailedCount).toBe(MFA_MAX_ATTEMPTS);
    expect(after.mfaLockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await lockouts()).toBe(1);
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.count({ where: { type: 'user.mfa.challenge.failed', subject: userId, outcome: 'failure', reason: 'invalid' } })).toBeGreaterThanOrEqual(MFA_MAX_ATTEMPTS);

    expect(await verifySecondFactor(tenant, userId, await rightCode())).toMatchObject({ ok: false, reason: 'locked' });
    expect(await row()).toMatchObject({ mfaFailedCount: MFA_MAX_ATTEMPTS });
  });

  it('after a lock runs out the count starts again: one wrong code does not lock again', async () => {
    for (let i = 0; i < MFA_MAX_ATTEMPTS; i++) await verifySecondFactor(tenant, userId, WRONG);
    expect((await row()).mfaLockedUntil).not.toBeNull();
    await expireLock();

    expect(await verifySecondFactor(tenant, userId, WRONG)).toEqual({ ok: false, reason: 'invalid' });
    expect(await row()).toMatchObject({ mfaFailedCount: 1, mfaLockedUntil: null });
    expect(await verifySecondFactor(tenant, userId, await rightCode())).toMatchObject({ ok: true, method: 'otp' });
    expect(await row()).toEqual({ mfaFailedCount: 0, mfaLockedUntil: null });
  });

  it('each further lockout within a day lasts twice as long', async () => {
    const lockFor = async () => {
      let last;
      for (let i = 0; i < MFA_MAX_ATTEMPTS; i++) last = await verifySecondFactor(tenant, userId, WRONG);
      return last;
    };
    expect(await lockFor()).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: lockDuration(0) / 1000 });
    await expireLock();
    expect(await lockFor()).toEqual({ ok: false, reason: 'locked', retryAfterSeconds: lockDuration(1) / 1000 });
    const until = (await row()).mfaLockedUntil!.getTime();
    expect(until - Date.now()).toBeGreaterThan(lockDuration(0));
    expect(lockDuration(1)).toBe(2 * lockDuration(0));
    expect(lockDuration(30)).toBe(60 * 60_000);
  });

  it('the last allowed attempt is still checked: a right code then succeeds and lifts the lock', async () => {
    for (let i = 0; i < MFA_MAX_ATTEMPTS - 1; i++) await verifySecondFactor(tenant, userId, WRONG);
    expect(await verifySecondFactor(tenant, userId, await rightCode())).toMatchObject({ ok: true });
    expect(await row()).toEqual({ mfaFailedCount: 0, mfaLockedUntil: null });
    expect(await lockouts()).toBe(0);
  });
});

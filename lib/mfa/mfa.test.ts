import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { createTenant } from '@/lib/tenants';
import { createUser, PASSWORD_MAX_FAILURES } from '@/lib/users';
import { confirmTotpEnrolment, getMfaStatus, MFA_MAX_ATTEMPTS, mfaAdoption, mfaRequirementFor, removeTotpFactor, resetUserMfa, startTotpEnrolment, verifySecondFactor } from './index';

const system = { type: 'system' as const, id: 'test' };
const codeAt = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

describe('MFA services on the database', () => {
  let tenant: { id: string; slug: string; displayName: string; isAdmin: boolean; settings: object };
  let user: { id: string; username: string };
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    await openMemoryDatabase();
    const created = await createTenant({ slug: 'mfa-unit', displayName: 'MFA Unit' }, system);
    tenant = { ...created, settings: {} };
    user = await createUser(created.id, { username: 'bob', password: 'correct horse battery' }, system);
  }, 120_000);
  afterAll(closeDatabase);

  it('an unconfirmed enrolment is not a factor; confirming needs a valid code', async () => {
    const enrolment = await startTotpEnrolment(tenant, user);
    secret = enrolment.secret;
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await getMfaStatus(user.id)).totpEnrolled).toBe(false);
    expect((await verifySecondFactor(tenant, user.id, await codeAt(secret))).ok).toBe(false);
    await expect(confirmTotpEnrolment(tenant, user.id, '000000')).rejects.toThrow(/not valid/);

    const prisma = await getPrisma();
    await prisma.user.update({ where: { id: user.id }, data: { mfaFailedCount: 0, mfaLockedUntil: null } });
    ({ recoveryCodes } = await confirmTotpEnrolment(tenant, user.id, await codeAt(secret)));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await prisma.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.every((r) => !recoveryCodes.some((c) => r.codeHash.includes(c)))).toBe(true);
    const factor = await prisma.mfaFactor.findFirst({ where: { userId: user.id } });
    expect(factor!.secretEnc).not.toContain(secret);
  });

  it('the enrolment code cannot be replayed; the next step is accepted once, even when raced', async () => {
    expect(await verifySecondFactor(tenant, user.id, await codeAt(secret))).toMatchObject({ ok: false, reason: 'replayed' });
    const next = await codeAt(secret, 1);
    const raced = await Promise.all([verifySecondFactor(tenant, user.id, next), verifySecondFactor(tenant, user.id, next)]);
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
  });

  it('a recovery code works once, whatever its formatting', async () => {
    const code = recoveryCodes[3];
    expect(await verifySecondFactor(tenant, user.id, ` ${code.toUpperCase()} `)).toMatchObject({ ok: true, method: 'recovery_code', remainingRecoveryCodes: 9 });
    expect((await verifySecondFactor(tenant, user.id, code)).ok).toBe(false);
  });

  it(`locks the factor after ${MFA_MAX_ATTEMPTS} wrong codes and records the lockout`, async () => {
    const prisma = await getPrisma();
    await prisma.user.update({ where: { id: user.id }, data: { mfaFailedCount: 0 } });
    let last;
    for (let i = 0; i < MFA_MAX_ATTEMPTS; i++) last = await verifySecondFactor(tenant, user.id, '123456');
    expect(last).toMatchObject({ ok: false, reason: 'locked' });
    // Even a right answer is refused while locked.
    expect(await verifySecondFactor(tenant, user.id, recoveryCodes[5])).toMatchObject({ ok: false, reason: 'locked' });
    expect(await prisma.auditEvent.count({ where: { type: 'user.mfa.locked', subject: user.id } })).toBe(1);
  });

  it('an admin reset removes the factor and the lock; adoption counts confirmed factors', async () => {
    expect(await mfaAdoption(tenant.id)).toEqual({ enrolled: 1, total: 1, percentage: 100 });
    await resetUserMfa(tenant, user.id, { type: 'admin', id: 'helpdesk-1' });
    expect(await getMfaStatus(user.id)).toMatchObject({ totpEnrolled: false, recoveryCodesRemaining: 0 });
    expect(await mfaAdoption(tenant.id)).toMatchObject({ enrolled: 0 });
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.findFirst({ where: { type: 'user.mfa.reset', subject: user.id } })).toMatchObject({ actorType: 'admin', actorId: 'helpdesk-1' });
  });

  it('removing a factor with the password counts wrong passwords towards the sign-in lockout', async () => {
    const prisma = await getPrisma();
    const carol = await createUser(tenant.id, { username: 'carol', password: 'carol correct horse' }, system);
    const enrolment = await startTotpEnrolment(tenant, carol);
    await confirmTotpEnrolment(tenant, carol.id, await codeAt(enrolment.secret));
    for (let i = 0; i < PASSWORD_MAX_FAILURES; i++) {
      await expect(removeTotpFactor(tenant, carol.id, { password: `guess ${i}` })).rejects.toThrow(/not correct|Too many/);
    }
    expect((await prisma.user.findUniqueOrThrow({ where: { id: carol.id } })).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await expect(removeTotpFactor(tenant, carol.id, { password: 'carol correct horse' })).rejects.toThrow(/Too many attempts/);
    expect((await getMfaStatus(carol.id)).totpEnrolled).toBe(true);
  });

  it('policy: optional by default, required per tenant, and for admins only in the admin tenant', async () => {
    expect(await mfaRequirementFor({ isAdmin: false, settings: {} }, user.id)).toBe('optional');
    expect(await mfaRequirementFor({ isAdmin: false, settings: { mfaPolicy: 'required' } }, user.id)).toBe('required');
    expect(await mfaRequirementFor({ isAdmin: false, settings: { mfaPolicy: 'off' } }, user.id)).toBe('off');
    expect(await mfaRequirementFor({ isAdmin: true, settings: {} }, user.id)).toBe('optional'); // bob holds no admin role
    const prisma = await getPrisma();
    await prisma.adminRoleBinding.create({ data: { userId: user.id, role: 'admin' } });
    expect(await mfaRequirementFor({ isAdmin: true, settings: {} }, user.id)).toBe('required');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { authenticateUser, updateUser } from '@/lib/users';
import { URN } from '../constants';
import type { ScimContext, Tx } from '../context';
import { ScimError } from '../errors';
import { patchBody, scimTestContext, userBody } from '../test-support';
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from './groups';
import { createUser, deleteUser, getUser, patchUser, replaceUser } from './users';

const E = URN.enterpriseUser;

async function scimError(promise: Promise<unknown>): Promise<ScimError> {
  const error = await promise.then(
    () => null,
    (e) => e,
  );
  expect(error).toBeInstanceOf(ScimError);
  return error as ScimError;
}

async function seedTokens(tenantId: string, userId: string) {
  const prisma = await getPrisma();
  const grantId = `grant-${userId.slice(0, 8)}`;
  const rows = [
    { model: 'Session', id: `sess-${userId}`, accountId: userId, grantId: null },
    { model: 'Grant', id: grantId, accountId: userId, grantId: null },
    { model: 'RefreshToken', id: `rt-${userId}`, accountId: userId, grantId },
    { model: 'AccessToken', id: `at-${userId}`, accountId: userId, grantId },
  ];
  for (const r of rows) await prisma.oidcPayload.create({ data: { tenantId, model: r.model, id: r.id, payload: {}, accountId: r.accountId, grantId: r.grantId } });
  return () => prisma.oidcPayload.count({ where: { tenantId, OR: [{ accountId: userId }, { grantId }] } });
}

describe('SCIM users and groups services (on PGlite)', () => {
  let ctx: ScimContext;
  let withPasswords: ScimContext;
  const read = async (c: ScimContext, id: string) => getUser(c, (await getPrisma()) as unknown as Tx, id);

  beforeAll(async () => {
    await openMemoryDatabase();
    ctx = await scimTestContext('svc');
    withPasswords = await scimTestContext('pw', { scimAcceptsPasswords: true, passwordMinLength: 10 });
  }, 120_000);
  afterAll(closeDatabase);

  it('creates a user with the enterprise extension; readOnly input is ignored; meta and version are set', async () => {
    const created = await createUser(ctx, userBody('Barbara.Jensen@Example.com', { id: 'client-chosen', meta: { version: 'W/"99"' }, groups: [{ value: 'x' }], externalId: 'e-1', emails: [{ value: 'Barbara.Jensen@Example.com', type: 'work', primary: true }], [E]: { employeeNumber: '1', manager: null } }));
    expect(created.doc).toMatchObject({
      schemas: [URN.user, E],
      userName: 'barbara.jensen@example.com',
      externalId: 'e-1',
      active: true,
      [E]: { employeeNumber: '1' },
      meta: { resourceType: 'User', version: 'W/"1"', location: `${ctx.baseUrl}/Users/${created.doc.id}` },
    });
    expect(created.doc.id).not.toBe('client-chosen');
    expect(created.doc.groups).toBeUndefined();
    const prisma = await getPrisma();
    const row = await prisma.user.findUniqueOrThrow({ where: { id: String(created.doc.id) } });
    expect(row).toMatchObject({ email: 'barbara.jensen@example.com', scimProvisioned: true, passwordHash: null });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { tenantId: ctx.tenant.id, type: 'user.created', subject: String(created.doc.id) } });
    expect(audit).toMatchObject({ actorType: 'scim', actorId: 'test-token', outcome: 'success', ip: '192.0.2.1' });
  });

  it('refuses duplicates (userName case-insensitively, the sign-in email) with 409 uniqueness', async () => {
    await createUser(ctx, userBody('dup', { emails: [{ value: 'dup@example.com' }] }));
    expect(await scimError(createUser(ctx, userBody('DUP')))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(await scimError(createUser(ctx, userBody('dup2', { emails: [{ value: 'DUP@example.com', primary: true }] })))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    // The same userName in another tenant is fine.
    await expect(createUser(withPasswords, userBody('dup'))).resolves.toBeTruthy();
  });

  it('validates bodies: schemas, unknown attributes, types, userName syntax, manager', async () => {
    expect(await scimError(createUser(ctx, { userName: 'noschemas' }))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(await scimError(createUser(ctx, { schemas: ['urn:example:other'], userName: 'x' }))).toMatchObject({ scimType: 'invalidSyntax' });
    expect(await scimError(createUser(ctx, userBody('x1', { favouriteColour: 'blue' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x2', { active: 'perhaps' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x3', { emails: { value: 'a@b.c' } })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('has spaces')))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, { schemas: [URN.user] }))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x4', { emails: [{ value: 'not-an-email' }] })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x5', { [E]: { manager: { value: '00000000-0000-4000-8000-000000000000' } } })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x6', { title: 'a\u0000b' })))).toMatchObject({ scimType: 'invalidValue' });
  });

  it('passwords: refused unless the tenant allows them; then Argon2id-hashed, never returned, usable to sign in', async () => {
    expect(await scimError(createUser(ctx, userBody('pw1', { password: 'correct horse battery' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(withPasswords, userBody('pw2', { password: 'short' })))).toMatchObject({ scimType: 'invalidValue' });
    const created = await createUser(withPasswords, userBody('pw3', { password: 'correct horse battery' }));
    expect(JSON.stringify(created.doc)).not.toContain('password');
    const prisma = await getPrisma();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: String(created.doc.id) } })).passwordHash).toMatch(/^\$argon2id\$/);
    expect(await authenticateUser(withPasswords.tenant.id, 'pw3', 'correct horse battery')).toMatchObject({ ok: true });
    await patchUser(withPasswords, String(created.doc.id), patchBody({ op: 'replace', path: 'password', value: 'another long password' }), {});
    expect(await authenticateUser(withPasswords.tenant.id, 'pw3', 'correct horse battery')).toMatchObject({ ok: false });
    expect(await authenticateUser(withPasswords.tenant.id, 'pw3', 'another long password')).toMatchObject({ ok: true });
    // PUT without a password keeps it.
    await replaceUser(withPasswords, String(created.doc.id), userBody('pw3', { displayName: 'P' }), {});
    expect(await authenticateUser(withPasswords.tenant.id, 'pw3', 'another long password')).toMatchObject({ ok: true });
  });

  it('PUT replaces every writable attribute; omitted ones are cleared, active is kept', async () => {
    const { doc } = await createUser(ctx, userBody('putme', { title: 'T', nickName: 'N', emails: [{ value: 'putme@example.com' }], [E]: { department: 'D' } }));
    const id = String(doc.id);
    await patchUser(ctx, id, patchBody({ op: 'replace', path: 'active', value: false }), {});
    const replaced = await replaceUser(ctx, id, userBody('putme', { id: 'ignored', title: 'T2' }), {});
    expect(replaced.doc).toMatchObject({ userName: 'putme', title: 'T2', active: false });
    expect(replaced.doc.nickName).toBeUndefined();
    expect(replaced.doc.emails).toBeUndefined();
    expect(replaced.doc[E]).toBeUndefined();
    expect(replaced.doc.id).toBe(id);
    expect(replaced.version).toBeGreaterThan(doc.meta ? 1 : 0);
  });

  it('deactivation ends sessions and revokes grants and refresh tokens; reactivation restores sign-in, not tokens', async () => {
    const { doc } = await createUser(withPasswords, userBody('leaver', { password: 'correct horse battery' }));
    const id = String(doc.id);
    const remaining = await seedTokens(withPasswords.tenant.id, id);
    expect(await remaining()).toBe(4);
    const patched = await patchUser(withPasswords, id, patchBody({ op: 'Replace', path: 'active', value: 'False' }), {});
    expect(patched.doc.active).toBe(false);
    expect(await remaining()).toBe(0);
    expect(await authenticateUser(withPasswords.tenant.id, 'leaver', 'correct horse battery')).toMatchObject({ ok: false, reason: 'disabled' });
    const prisma = await getPrisma();
    const events = await prisma.auditEvent.findMany({ where: { tenantId: withPasswords.tenant.id, subject: id }, orderBy: { id: 'asc' }, select: { type: true, actorType: true, actorId: true } });
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.updated', 'user.disabled']);
    expect(events.every((e) => e.actorType === 'scim' && e.actorId === 'test-token')).toBe(true);

    await patchUser(withPasswords, id, patchBody({ op: 'replace', value: { active: true } }), {});
    expect(await remaining()).toBe(0);
    expect(await authenticateUser(withPasswords.tenant.id, 'leaver', 'correct horse battery')).toMatchObject({ ok: true });
    expect((await prisma.auditEvent.findFirst({ where: { subject: id, type: 'user.enabled' } }))?.actorType).toBe('scim');
  });

  it('DELETE removes the user with their sessions, grants and tokens', async () => {
    const { doc } = await createUser(ctx, userBody('gone'));
    const id = String(doc.id);
    const remaining = await seedTokens(ctx.tenant.id, id);
    await deleteUser(ctx, id, {});
    expect(await remaining()).toBe(0);
    expect(await scimError(read(ctx, id))).toMatchObject({ status: 404 });
    expect(await scimError(deleteUser(ctx, id, {}))).toMatchObject({ status: 404 });
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.findFirst({ where: { subject: id, type: 'user.deleted' } })).toMatchObject({ actorType: 'scim' });
  });

  it('a PATCH is atomic: one failing operation leaves the user, its version and the audit log unchanged', async () => {
    const { doc, version } = await createUser(ctx, userBody('atomic', { displayName: 'Before' }));
    const id = String(doc.id);
    const prisma = await getPrisma();
    const eventsBefore = await prisma.auditEvent.count({ where: { subject: id } });
    const error = await scimError(patchUser(ctx, id, patchBody({ op: 'replace', path: 'displayName', value: 'After' }, { op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'meta.version', value: 'x' }), {}));
    expect(error).toMatchObject({ status: 400, scimType: 'mutability' });
    // A database-level failure (uniqueness) after the document was changed rolls back too.
    await createUser(ctx, userBody('taken'));
    expect(await scimError(patchUser(ctx, id, patchBody({ op: 'replace', path: 'displayName', value: 'After' }, { op: 'replace', path: 'userName', value: 'taken' }), {}))).toMatchObject({ status: 409 });
    const after = await read(ctx, id);
    expect(after.doc).toMatchObject({ displayName: 'Before', active: true, userName: 'atomic' });
    expect(after.version).toBe(version);
    expect(await prisma.auditEvent.count({ where: { subject: id } })).toBe(eventsBefore);
  });

  it('ETags: If-Match must match (412), If-None-Match on reads gives 304; no-op PATCH keeps the version', async () => {
    const { doc, version } = await createUser(ctx, userBody('etag'));
    const id = String(doc.id);
    expect(await scimError(patchUser(ctx, id, patchBody({ op: 'add', path: 'title', value: 'x' }), { ifMatch: 'W/"999"' }))).toMatchObject({ status: 412 });
    const ok = await patchUser(ctx, id, patchBody({ op: 'add', path: 'title', value: 'x' }), { ifMatch: `W/"${version}"` });
    expect(ok.version).toBe(version + 1);
    const same = await patchUser(ctx, id, patchBody({ op: 'add', path: 'title', value: 'x' }), { ifMatch: '*' });
    expect(same.version).toBe(ok.version);
    expect(await scimError(deleteUser(ctx, id, { ifMatch: `"${version}"` }))).toMatchObject({ status: 412 });
    expect(await scimError(replaceUser(ctx, id, userBody('etag'), { ifNoneMatch: '*' }))).toMatchObject({ status: 412 });
  });

  it('changes made outside SCIM (console) bump the version and keep emails and the sign-in email in step', async () => {
    const { doc, version } = await createUser(ctx, userBody('console', { emails: [{ value: 'home@example.com', type: 'home' }, { value: 'work@example.com', type: 'work', primary: true }] }));
    const id = String(doc.id);
    await updateUser(ctx.tenant.id, id, { email: 'new-work@example.com' }, { type: 'admin', id: 'tester' });
    const after = await read(ctx, id);
    expect(after.version).toBe(version + 1);
    expect(after.doc.emails).toEqual([
      { value: 'home@example.com', type: 'home' },
      { value: 'new-work@example.com', type: 'work', primary: true },
    ]);
    const prisma = await getPrisma();
    await prisma.user.update({ where: { id }, data: { lastLoginAt: new Date() } });
    expect((await read(ctx, id)).version).toBe(version + 1);
  });

  it('groups: members are users or groups of the tenant; users show their groups; versions follow membership', async () => {
    const a = String((await createUser(ctx, userBody('member-a', { displayName: 'Member A' }))).doc.id);
    const b = String((await createUser(ctx, userBody('member-b'))).doc.id);
    const other = String((await createUser(withPasswords, userBody('outsider'))).doc.id);
    const inner = await createGroup(ctx, { schemas: [URN.group], displayName: 'Inner' });
    const group = await createGroup(ctx, { schemas: [URN.group], displayName: 'Team', externalId: 'ext-team', members: [{ value: a }, { value: String(inner.doc.id), type: 'Group' }] });
    const gid = String(group.doc.id);
    expect(group.doc.members).toEqual([
      { value: a, $ref: `${ctx.baseUrl}/Users/${a}`, type: 'User', display: 'Member A' },
      { value: inner.doc.id, $ref: `${ctx.baseUrl}/Groups/${inner.doc.id}`, type: 'Group', display: 'Inner' },
    ]);
    expect((await read(ctx, a)).doc.groups).toEqual([{ value: gid, $ref: `${ctx.baseUrl}/Groups/${gid}`, display: 'Team', type: 'direct' }]);

    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: other }] }), {}))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: gid }] }), {}))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: b, type: 'Group' }] }), {}))).toMatchObject({ scimType: 'invalidValue' });

    const userVersion = (await read(ctx, b)).version;
    const added = await patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: b }] }), { ifMatch: `W/"${group.version}"` });
    expect(added.version).toBeGreaterThan(group.version);
    expect((await read(ctx, b)).version).toBeGreaterThan(userVersion);
    const removed = await patchGroup(ctx, gid, patchBody({ op: 'remove', path: `members[value eq "${a}"]` }), {});
    expect((removed.doc.members as { value: string }[]).map((m) => m.value).sort()).toEqual([b, String(inner.doc.id)].sort());

    await patchGroup(ctx, gid, patchBody({ op: 'replace', path: 'displayName', value: 'Renamed' }), {});
    expect((await read(ctx, b)).doc.groups).toMatchObject([{ display: 'Renamed' }]);

    // Deleting a member user takes it out of the group and changes the group's version.
    const before = (await getGroup(ctx, (await getPrisma()) as unknown as Tx, gid)).version;
    await deleteUser(ctx, b, {});
    const after = await getGroup(ctx, (await getPrisma()) as unknown as Tx, gid);
    expect(after.version).toBeGreaterThan(before);
    expect((after.doc.members as { value: string }[]).map((m) => m.value)).toEqual([String(inner.doc.id)]);

    const put = await replaceGroup(ctx, gid, { schemas: [URN.group], displayName: 'Put' }, {});
    expect(put.doc.members).toBeUndefined();
    expect(put.doc.externalId).toBeUndefined();
    await deleteGroup(ctx, gid, {});
    expect(await scimError(getGroup(ctx, (await getPrisma()) as unknown as Tx, gid))).toMatchObject({ status: 404 });
    const prisma = await getPrisma();
    expect((await prisma.auditEvent.findMany({ where: { subject: gid }, orderBy: { id: 'asc' } })).map((e) => e.type)).toEqual(['group.created', 'group.updated', 'group.updated', 'group.updated', 'group.updated', 'group.deleted']);
  });

  it('in the admin tenant, the last active owner cannot be deactivated or deleted over SCIM', async () => {
    const prisma = await getPrisma();
    const admin = await scimTestContext('adm');
    await prisma.tenant.update({ where: { id: admin.tenant.id }, data: { isAdmin: true } });
    admin.tenant = { ...admin.tenant, isAdmin: true };
    const a = String((await createUser(admin, userBody('owner-a'))).doc.id);
    const b = String((await createUser(admin, userBody('owner-b'))).doc.id);
    await prisma.adminRoleBinding.create({ data: { userId: a, role: 'owner' } });
    expect(await scimError(patchUser(admin, a, patchBody({ op: 'replace', path: 'active', value: false }), {}))).toMatchObject({ status: 400, scimType: 'mutability' });
    expect(await scimError(deleteUser(admin, a, {}))).toMatchObject({ status: 400, scimType: 'mutability' });
    await prisma.adminRoleBinding.create({ data: { userId: b, role: 'owner' } });
    await expect(patchUser(admin, a, patchBody({ op: 'replace', path: 'active', value: false }), {})).resolves.toBeTruthy();
    expect(await scimError(deleteUser(admin, b, {}))).toMatchObject({ scimType: 'mutability' });
    // Other changes to an owner are fine.
    await expect(patchUser(admin, b, patchBody({ op: 'add', path: 'title', value: 'Owner' }), {})).resolves.toBeTruthy();
    await prisma.tenant.update({ where: { id: admin.tenant.id }, data: { isAdmin: false } });
  });

  it('a user of one tenant is invisible to another', async () => {
    const { doc } = await createUser(ctx, userBody('private'));
    expect(await scimError(read(withPasswords, String(doc.id)))).toMatchObject({ status: 404 });
    expect(await scimError(patchUser(withPasswords, String(doc.id), patchBody({ op: 'replace', path: 'active', value: false }), {}))).toMatchObject({ status: 404 });
    expect(await scimError(deleteUser(withPasswords, String(doc.id), {}))).toMatchObject({ status: 404 });
  });
});

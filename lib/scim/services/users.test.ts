import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { authenticateUser, loginSchema, setTemporaryPassword, updateUser } from '@/lib/users';
import { URN } from '../constants';
import type { ScimContext, Tx } from '../context';
import { ScimError } from '../errors';
import { patchBody, scimTestContext, userBody } from '../test-support';
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from './groups';
import { userResourceType } from '../schema/definitions';
import { listResources, queryFromSearchParams } from './list';
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
      userName: 'Barbara.Jensen@Example.com',
      externalId: 'e-1',
      active: true,
      [E]: { employeeNumber: '1' },
      meta: { resourceType: 'User', version: 'W/"1"', location: `${ctx.baseUrl}/Users/${created.doc.id}` },
    });
    expect(created.doc.id).not.toBe('client-chosen');
    expect(created.doc.groups).toBeUndefined();
    const prisma = await getPrisma();
    const row = await prisma.user.findUniqueOrThrow({ where: { id: String(created.doc.id) } });
    expect(row).toMatchObject({ username: 'barbara.jensen@example.com', email: 'barbara.jensen@example.com', scimProvisioned: true, passwordHash: null });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { tenantId: ctx.tenant.id, type: 'user.created', subject: String(created.doc.id) } });
    expect(audit).toMatchObject({ actorType: 'scim', actorId: 'test-token', outcome: 'success', ip: '192.0.2.1' });
  });

  it('refuses duplicate userNames (case-insensitively) with 409 uniqueness', async () => {
    await createUser(ctx, userBody('dup', { emails: [{ value: 'dup@example.com' }] }));
    expect(await scimError(createUser(ctx, userBody('DUP')))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    // The same userName in another tenant is fine.
    await expect(createUser(withPasswords, userBody('dup'))).resolves.toBeTruthy();
  });

  it('validates bodies: schemas, unknown attributes, types, userName syntax, manager', async () => {
    expect(await scimError(createUser(ctx, { userName: 'noschemas' }))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(await scimError(createUser(ctx, { schemas: ['urn:example:other'], userName: 'x' }))).toMatchObject({ scimType: 'invalidSyntax' });
    expect(await scimError(createUser(ctx, userBody('x1', { favouriteColour: 'blue' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x2', { active: 'perhaps' })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x3', { emails: { value: 'a@b.c' } })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody(' leading-space')))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, { schemas: [URN.user] }))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x4', { emails: [{ value: 'not-an-email' }] })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x5', { [E]: { manager: { value: '00000000-0000-4000-8000-000000000000' } } })))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(createUser(ctx, userBody('x6', { title: 'a\u0000b' })))).toMatchObject({ scimType: 'invalidValue' });
  });

  it('passwords, where the tenant accepts them: policy-checked, Argon2id-hashed, never returned, usable to sign in', async () => {
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

  it('userName is returned as sent and compared without case (RFC 7643 §4.1.1); Entra ID guests and non-ASCII names sign in', async () => {
    const prisma = await getPrisma();
    const guest = 'Jane_Contoso.com#EXT#@tenant.onmicrosoft.com';
    const created = await createUser(withPasswords, userBody(guest, { password: 'correct horse battery' }));
    const id = String(created.doc.id);
    expect(created.doc.userName).toBe(guest);
    expect((await read(withPasswords, id)).doc.userName).toBe(guest);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).username).toBe(guest.toLowerCase());
    // The sign-in form lower-cases what is typed; the lookup is by the lower-cased column.
    const typed = loginSchema.parse({ username: 'JANE_CONTOSO.COM#EXT#@Tenant.OnMicrosoft.com', password: 'correct horse battery' });
    expect(await authenticateUser(withPasswords.tenant.id, typed.username, typed.password)).toMatchObject({ ok: true, user: { id } });

    const names = ["O'Brien", 'Zoë.Ångström', 'José Núñez', '山田太郎'];
    const ids: Record<string, string> = {};
    for (const name of names) {
      const { doc } = await createUser(ctx, userBody(name));
      expect(doc.userName).toBe(name);
      ids[name] = String(doc.id);
    }
    const userNames = async (filter: string) => (await listResources(ctx, userResourceType, queryFromSearchParams(new URLSearchParams({ filter })))).Resources.map((r) => r.userName);
    expect(await userNames(`userName eq "o'brien"`)).toEqual(["O'Brien"]);
    // Non-ASCII letters too: case folding does not depend on the database's locale.
    expect(await userNames('userName eq "ZOË.ÅNGSTRÖM"')).toEqual(['Zoë.Ångström']);
    expect(await userNames('userName sw "JOSÉ"')).toEqual(['José Núñez']);
    // Same name in another case, or in another Unicode normal form (NFD), is taken.
    expect(await scimError(createUser(ctx, userBody("O'BRIEN")))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(await scimError(createUser(ctx, userBody('Zoe\u0308.A\u030angstro\u0308m')))).toMatchObject({ status: 409, scimType: 'uniqueness' });

    // A rename that changes only the case is kept, and is a new version.
    const before = await read(ctx, ids["O'Brien"]);
    const renamed = await patchUser(ctx, ids["O'Brien"], patchBody({ op: 'replace', path: 'userName', value: "O'BRIEN" }), {});
    expect(renamed.doc.userName).toBe("O'BRIEN");
    expect(renamed.version).toBe(before.version + 1);
    expect((await read(ctx, ids["O'Brien"])).doc.userName).toBe("O'BRIEN");

    // Still refused: control and invisible format characters, whitespace at either end, empty, too long.
    for (const bad of [' leading', 'trailing ', 'tab\there', 'bell\u0007', 'bidi\u202Eevil', 'zero\u200Bwidth', '', 'x'.repeat(129)]) {
      expect(await scimError(createUser(ctx, userBody(bad))), JSON.stringify(bad)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    }
    await expect(createUser(ctx, userBody('y'.repeat(128)))).resolves.toBeTruthy();
  });

  it('a password is ignored, never stored, where the tenant does not accept SCIM passwords; the audit log says so', async () => {
    const prisma = await getPrisma();
    const hash = async (id: string) => (await prisma.user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } })).passwordHash;
    const events = (id: string) => prisma.auditEvent.findMany({ where: { subject: id }, orderBy: { id: 'asc' }, select: { type: true, outcome: true, details: true } });
    // RFC 7643 §4.1.1: password is writeOnly; "fill every attribute" creates send one.
    const created = await createUser(ctx, userBody('pw-ignored', { password: 'correct horse battery', title: 'T' }));
    const id = String(created.doc.id);
    expect(created.doc.title).toBe('T');
    expect(await hash(id)).toBeNull();
    expect((await events(id))[0]).toMatchObject({ type: 'user.created', details: { ignored: ['password'] } });

    const replaced = await replaceUser(ctx, id, userBody('pw-ignored', { title: 'T2', password: 'another long password' }), {});
    expect(replaced.doc.title).toBe('T2');
    await patchUser(ctx, id, patchBody({ op: 'replace', path: 'password', value: 'a third long password' }), {});
    expect(await hash(id)).toBeNull();
    expect((await events(id)).map((e) => [e.type, e.outcome, (e.details as { ignored?: string[] }).ignored])).toEqual([
      ['user.created', 'success', ['password']],
      ['user.updated', 'success', ['password']],
      // Nothing else changed: the ignored password is recorded on its own.
      ['user.password.ignored', 'denied', ['password']],
    ]);
    const log = JSON.stringify(await events(id));
    for (const secret of ['correct horse', 'another long', 'third long']) expect(log).not.toContain(secret);

    // Nor can such a client clear a password set elsewhere (the console's temporary password).
    await setTemporaryPassword(ctx.tenant.id, id, 'a console temporary password', { type: 'admin', id: 'tester' });
    await patchUser(ctx, id, patchBody({ op: 'remove', path: 'password' }), {});
    expect(await hash(id)).toMatch(/^\$argon2id\$/);
  });

  it('emails have no uniqueness (RFC 7643 §4.1.2): a shared primary email is kept; only its first owner signs in with it', async () => {
    const prisma = await getPrisma();
    const signInEmail = async (id: string) => (await prisma.user.findUniqueOrThrow({ where: { id }, select: { email: true } })).email;
    const first = String((await createUser(withPasswords, userBody('first-owner', { password: 'correct horse battery', emails: [{ value: 'shared@example.com', primary: true }] }))).doc.id);
    const second = await createUser(withPasswords, userBody('second-owner', { password: 'another long password', emails: [{ value: 'Shared@Example.com', type: 'work', primary: true }] }));
    const id = String(second.doc.id);
    expect(second.doc.emails).toEqual([{ value: 'Shared@Example.com', type: 'work', primary: true }]);
    expect(await signInEmail(first)).toBe('shared@example.com');
    expect(await signInEmail(id)).toBeNull();
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { subject: id, type: 'user.created' } })).details).toMatchObject({ signInEmailShared: true });
    // Sign-in by that email stays unambiguous: the first owner's.
    expect(await authenticateUser(withPasswords.tenant.id, 'shared@example.com', 'correct horse battery')).toMatchObject({ ok: true, user: { id: first } });
    expect(await authenticateUser(withPasswords.tenant.id, 'shared@example.com', 'another long password')).toMatchObject({ ok: false });

    // An email of its own becomes the sign-in email; back to the shared one (PUT), no 409 either.
    await patchUser(withPasswords, id, patchBody({ op: 'replace', path: 'emails', value: [{ value: 'own@example.com', primary: true }] }), {});
    expect(await signInEmail(id)).toBe('own@example.com');
    const put = await replaceUser(withPasswords, id, userBody('second-owner', { emails: [{ value: 'SHARED@example.com', primary: true }] }), {});
    expect(put.doc.emails).toEqual([{ value: 'SHARED@example.com', primary: true }]);
    expect(await signInEmail(id)).toBeNull();
    const found = await listResources(withPasswords, userResourceType, queryFromSearchParams(new URLSearchParams({ filter: 'emails.value eq "shared@example.com"' })));
    expect(found.Resources.map((r) => r.userName).sort()).toEqual(['first-owner', 'second-owner']);
  });

  it('PATCH remove of active is refused (400 invalidValue) and changes nothing', async () => {
    const { doc } = await createUser(ctx, userBody('keep-active'));
    const id = String(doc.id);
    const disabled = await patchUser(ctx, id, patchBody({ op: 'replace', path: 'active', value: false }), {});
    const error = await scimError(patchUser(ctx, id, patchBody({ op: 'remove', path: 'active' }), {}));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(error.detail).toContain("'active'");
    const after = await read(ctx, id);
    expect(after.doc.active).toBe(false);
    expect(after.version).toBe(disabled.version);
    // Removed and set again in the same PATCH: the result has a value, so it applies.
    expect((await patchUser(ctx, id, patchBody({ op: 'remove', path: 'active' }, { op: 'add', path: 'active', value: true }), {})).doc.active).toBe(true);
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
    // RFC 7643 §3.1: a group created with members is new, not modified: its first version, and
    // lastModified equal to created (the membership trigger used to stamp the transaction start).
    const groupMeta = group.doc.meta as { created: string; lastModified: string; version: string };
    expect(group.version).toBe(1);
    expect(groupMeta.version).toBe('W/"1"');
    expect(groupMeta.lastModified).toBe(groupMeta.created);
    // A member's lastModified never precedes its created either.
    const memberMeta = (await read(ctx, a)).doc.meta as { created: string; lastModified: string };
    expect(Date.parse(memberMeta.lastModified)).toBeGreaterThanOrEqual(Date.parse(memberMeta.created));

    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: other }] }), {}))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: gid }] }), {}))).toMatchObject({ scimType: 'invalidValue' });
    expect(await scimError(patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: b, type: 'Group' }] }), {}))).toMatchObject({ scimType: 'invalidValue' });

    const userVersion = (await read(ctx, b)).version;
    const added = await patchGroup(ctx, gid, patchBody({ op: 'add', path: 'members', value: [{ value: b }] }), { ifMatch: `W/"${group.version}"` });
    expect(added.version).toBeGreaterThan(group.version);
    const addedMeta = added.doc.meta as { created: string; lastModified: string };
    expect(addedMeta.created).toBe(groupMeta.created);
    expect(Date.parse(addedMeta.lastModified)).toBeGreaterThanOrEqual(Date.parse(addedMeta.created));
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

    // The membership triggers never stamp a lastModified before created, even when created was
    // stamped later than the transaction started (here: by a clock a minute ahead).
    const prisma = await getPrisma();
    const ahead = new Date(Date.now() + 60_000);
    const stamped = await prisma.$transaction(async (tx) => {
      const g = await tx.group.create({ data: { tenantId: ctx.tenant.id, displayName: 'Clock ahead', createdAt: ahead, modifiedAt: ahead } });
      await tx.$executeRawUnsafe('INSERT INTO group_members (group_id, member_group_id) VALUES ($1::uuid, $2::uuid)', g.id, String(inner.doc.id));
      return tx.group.findUniqueOrThrow({ where: { id: g.id } });
    });
    expect(stamped.version).toBe(2);
    expect(stamped.modifiedAt.getTime()).toBe(ahead.getTime());
    await prisma.group.delete({ where: { id: stamped.id } });

    const put = await replaceGroup(ctx, gid, { schemas: [URN.group], displayName: 'Put' }, {});
    expect(put.doc.members).toBeUndefined();
    expect(put.doc.externalId).toBeUndefined();
    await deleteGroup(ctx, gid, {});
    expect(await scimError(getGroup(ctx, (await getPrisma()) as unknown as Tx, gid))).toMatchObject({ status: 404 });
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

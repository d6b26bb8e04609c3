import { checkEmailDomain } from '@/lib/threats';
import { isLastActiveOwner } from '@/lib/authz/owner-guard';
import crypto from 'node:crypto';
import { Prisma } from '@/lib/db';
import { recordEvent } from '@/lib/audit';
import { hashPassword } from '@/lib/passwords';
import { endUserSessions, passwordSchema, usernameAsWrittenSchema } from '@/lib/users';
import { actorOf, eventBase, inTransaction, UUID_RE, type ScimContext, type Tx } from '../context';
import { invalidValue, mutability, notFound, uniqueness } from '../errors';
import { scimMetrics } from '../metrics';
import { isObject, jsonEqual, normalizeResourceBody, type Doc } from '../normalize';
import { applyPatch, parsePatchBody } from '../patch';
import { checkPreconditions, type Preconditions } from '../preconditions';
import { USER_FROM, USER_SELECT, userColumns, userDocument, type GroupRef, type UserColumns, type UserRow } from '../resources/users';
import { userResourceType } from '../schema/definitions';

/**
 * Users over SCIM. Each write is one transaction: the row (locked FOR UPDATE), its lifecycle
 * effects (deactivation ends sessions and revokes grants and refresh tokens, as
 * lib/users setUserDisabled does) and its audit events commit or roll back together.
 */

export interface ResourceResult {
  doc: Doc;
  version: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function readUser(tx: Tx, ctx: ScimContext, id: string, options: { groups?: boolean } = {}): Promise<(ResourceResult & { row: UserRow }) | null> {
  if (!UUID_RE.test(id)) return null;
  const rows = await tx.$queryRawUnsafe<UserRow[]>(`SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.tenant_id = $1::uuid AND u.id = $2::uuid`, ctx.tenant.id, id.toLowerCase());
  if (!rows[0]) return null;
  const groups = options.groups === false ? undefined : (await groupsOfUsers(tx, [rows[0].id])).get(rows[0].id) ?? [];
  return { row: rows[0], doc: userDocument(rows[0], groups, ctx.baseUrl), version: rows[0].version };
}

/** Direct group memberships of these users, by user id (RFC 7643 §4.1.2 "groups"). */
export async function groupsOfUsers(tx: Tx, userIds: string[]): Promise<Map<string, GroupRef[]>> {
  const out = new Map<string, GroupRef[]>();
  if (userIds.length === 0) return out;
  const rows = await tx.$queryRawUnsafe<{ userId: string; id: string; displayName: string }[]>(
    `SELECT gm.user_id AS "userId", g.id, g.display_name AS "displayName" FROM group_members gm JOIN groups g ON g.id = gm.group_id
     WHERE gm.user_id = ANY($1::uuid[]) ORDER BY g.display_name, g.id`,
    userIds,
  );
  for (const r of rows) {
    const list = out.get(r.userId) ?? [];
    list.push({ id: r.id, displayName: r.displayName });
    out.set(r.userId, list);
  }
  return out;
}

/** Locks the user's row for this transaction; 404 when it is not a user of this tenant. */
async function lockUser(tx: Tx, ctx: ScimContext, id: string): Promise<{ version: number; disabled: boolean }> {
  if (!UUID_RE.test(id)) throw notFound(`User ${id} not found`);
  const rows = await tx.$queryRawUnsafe<{ version: number; disabled: boolean }[]>(`SELECT version, disabled FROM users WHERE tenant_id = $1::uuid AND id = $2::uuid FOR UPDATE`, ctx.tenant.id, id.toLowerCase());
  if (!rows[0]) throw notFound(`User ${id} not found`);
  return rows[0];
}

/** userName, emails and the manager, beyond what the schema types check. */
async function validateUser(tx: Tx, ctx: ScimContext, doc: Doc, selfId: string | null) {
  // Kept as sent (not trimmed, not lower-cased): the client reads back what it wrote (RFC 7643 §4.1.1).
  const userName = usernameAsWrittenSchema.safeParse(doc.userName);
  if (doc.userName === undefined) throw invalidValue("'userName' is required");
  if (!userName.success) throw invalidValue(`'userName': ${userName.error.issues[0].message}`);
  if (Array.isArray(doc.emails)) {
    for (const e of doc.emails) if (isObject(e) && typeof e.value === 'string' && !EMAIL.test(e.value)) throw invalidValue(`'emails': "${e.value}" is not an email address`);
    // Threat intelligence: e-mail domains on a blocking list are refused (flagged on 'log').
    for (const e of doc.emails) {
      if (isObject(e) && typeof e.value === 'string' && checkEmailDomain(e.value, ctx.tenant.id, { field: 'scim.user.email', actor: actorOf(ctx), ip: ctx.meta.ip, userAgent: ctx.meta.userAgent }).verdict === 'block') {
        throw invalidValue(`'emails': the domain of "${e.value}" is not accepted`);
      }
    }
  }
  const ent = doc['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'];
  const manager = isObject(ent) && isObject(ent.manager) ? ent.manager.value : undefined;
  if (manager !== undefined) {
    if (typeof manager !== 'string' || !UUID_RE.test(manager)) throw invalidValue("'manager.value' must be the id of a User of this tenant");
    if (selfId && manager.toLowerCase() === selfId) throw invalidValue('A user cannot be their own manager');
    const found = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM users WHERE tenant_id = $1::uuid AND id = $2::uuid', ctx.tenant.id, manager.toLowerCase());
    if (!found[0]) throw invalidValue(`'manager.value': no User ${manager} in this tenant`);
    (ent as Doc).manager = { value: manager.toLowerCase() };
  }
}

/** What to do with the request's `password`: set it (string), clear it (null), keep the current one (undefined). */
interface PasswordChange {
  password: string | null | undefined;
  /** The client sent one and the tenant does not take passwords over SCIM: for the audit event. */
  ignored: boolean;
}

/**
 * A password from the client, per the tenant's password policy. Where the tenant does not accept
 * SCIM passwords (ServiceProviderConfig changePassword.supported false) it is ignored, set or
 * cleared alike, not refused: RFC 7643 §4.1.1 makes password writeOnly and never returned, and
 * clients that send every attribute (compliance suites, "fill all attributes" creates) must
 * still be able to create users. It is never stored then; the audit event records that it was
 * ignored, never its value.
 */
function checkPassword(ctx: ScimContext, password: unknown): PasswordChange {
  if (password === undefined) return { password: undefined, ignored: false };
  if (!ctx.tenant.settings.scimAcceptsPasswords) return { password: undefined, ignored: true };
  if (password === null) return { password: null, ignored: false };
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw invalidValue(`'password': ${parsed.error.issues[0].message}`);
  const min = ctx.tenant.settings.passwordMinLength ?? 8;
  if (parsed.data.length < min) throw invalidValue(`'password': at least ${min} characters`);
  return { password: parsed.data, ignored: false };
}

const ignoredDetails = (change: PasswordChange) => (change.ignored ? { ignored: ['password'] } : {});

/**
 * The sign-in email of this user, or null when another user of the tenant already signs in with
 * it. RFC 7643 §4.1.2 gives emails no uniqueness (and /Schemas says "none"), so a shared email
 * is no conflict: the user keeps it in `emails`, but sign-in by email stays unambiguous, the
 * first owner's (the unique index on users.email). A transaction-scoped advisory lock on the
 * address makes concurrent writers of the same email take turns, so the check holds at insert.
 */
async function claimSignInEmail(tx: Tx, ctx: ScimContext, email: string | null, selfId: string | null): Promise<{ email: string | null; shared: boolean }> {
  if (email === null) return { email, shared: false };
  // (::text: the function returns void, which the driver adapters cannot read back.)
  await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('iam.users.email'), hashtext($1::text || ':' || $2::text))::text`, ctx.tenant.id, email);
  const holders = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM users WHERE tenant_id = $1::uuid AND email = $2 AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`,
    ctx.tenant.id,
    email,
    selfId,
  );
  return holders.length ? { email: null, shared: true } : { email, shared: false };
}

function conflict(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    const text = `${JSON.stringify(error.meta ?? {})} ${error.message}`;
    if (/email/i.test(text)) throw uniqueness('Another user of this tenant already signs in with this email (the primary email must be unique)');
    throw uniqueness('userName is already taken in this tenant');
  }
  throw error;
}

const columnData = (c: UserColumns) => ({ ...c, emails: c.emails as Prisma.InputJsonValue, phoneNumbers: c.phoneNumbers as Prisma.InputJsonValue, ims: c.ims as Prisma.InputJsonValue, photos: c.photos as Prisma.InputJsonValue, addresses: c.addresses as Prisma.InputJsonValue, entitlements: c.entitlements as Prisma.InputJsonValue, scimRoles: c.scimRoles as Prisma.InputJsonValue, x509Certificates: c.x509Certificates as Prisma.InputJsonValue });

function changedFields(before: UserColumns, after: UserColumns): string[] {
  return (Object.keys(after) as (keyof UserColumns)[]).filter((k) => !jsonEqual(before[k], after[k]));
}

export async function createUser(ctx: ScimContext, body: unknown): Promise<ResourceResult> {
  const doc = normalizeResourceBody(userResourceType, body);
  const change = checkPassword(ctx, doc.password);
  delete doc.password;
  const passwordHash = change.password ? await hashPassword(change.password) : null;
  try {
    const result = await inTransaction(async (tx) => {
      await validateUser(tx, ctx, doc, null);
      const columns = userColumns(doc, false);
      const signIn = await claimSignInEmail(tx, ctx, columns.email, null);
      columns.email = signIn.email;
      const id = crypto.randomUUID();
      await tx.user.create({ data: { id, tenantId: ctx.tenant.id, ...columnData(columns), passwordHash, scimProvisioned: true } });
      await recordEvent(tx, {
        ...eventBase(ctx),
        type: 'user.created',
        outcome: 'success',
        subject: id,
        details: { via: 'scim', tokenId: ctx.token.id, username: columns.scimUserName, active: !columns.disabled, externalId: columns.externalId, ...(signIn.shared ? { signInEmailShared: true } : {}), ...ignoredDetails(change) },
      });
      return (await readUser(tx, ctx, id))!;
    });
    count(ctx, ['created']);
    return result;
  } catch (error) {
    return conflict(error);
  }
}

export async function getUser(ctx: ScimContext, tx: Tx, id: string, options: { groups?: boolean } = {}): Promise<ResourceResult> {
  const found = await readUser(tx, ctx, id, options);
  if (!found) throw notFound(`User ${id} not found`);
  return found;
}

/**
 * In the admin tenant, users are console administrators: SCIM may not deactivate or delete the
 * last active all-tenant owner (the console refuses the same), or nobody could administer.
 */
async function keepAnOwner(tx: Tx, ctx: ScimContext, userId: string) {
  if (!ctx.tenant.isAdmin) return;
  if (await isLastActiveOwner(tx, userId)) throw mutability('This user is the last active owner of the console: grant owner to another administrator first');
}

type Change = 'created' | 'replaced' | 'patched' | 'deleted' | 'deactivated' | 'reactivated';

/** Counted once the transaction has committed. */
function count(ctx: ScimContext, changes: Change[]) {
  for (const change of changes) scimMetrics().changes.inc({ tenant: ctx.tenant.slug, resource: 'User', change });
}

/** Writes the new state of a locked user with its lifecycle effects and events; returns what changed. */
async function writeUser(tx: Tx, ctx: ScimContext, id: string, before: UserRow, next: Doc, change: PasswordChange, kind: 'replaced' | 'patched'): Promise<Change[]> {
  await validateUser(tx, ctx, next, id);
  const beforeColumns = { ...userColumns(userDocumentForColumns(before, ctx), before.disabled), email: before.email };
  const columns = userColumns(next, before.disabled);
  const signIn = columns.email === before.email ? { email: before.email, shared: false } : await claimSignInEmail(tx, ctx, columns.email, id);
  columns.email = signIn.email;
  const fields = changedFields(beforeColumns, columns);
  const { password } = change;
  const passwordHash = password ? await hashPassword(password) : password === null ? null : undefined;
  const base = { ...eventBase(ctx), outcome: 'success' as const, subject: id };
  // The ignored password goes in user.updated's details; when nothing else changed there is no
  // such event, so it is recorded on its own (the client tried to set one).
  const passwordIgnored = () =>
    recordEvent(tx, { ...base, outcome: 'denied', type: 'user.password.ignored', reason: 'scim_passwords_not_accepted', details: { via: 'scim', tokenId: ctx.token.id, operation: kind, ...ignoredDetails(change) } });
  if (fields.length === 0 && passwordHash === undefined) {
    if (change.ignored) await passwordIgnored();
    return [];
  }
  const changes: Change[] = [kind];
  await tx.user.update({ where: { id }, data: { ...columnData(columns), ...(passwordHash !== undefined ? { passwordHash, mustChangePassword: false, failedLoginCount: 0, lockedUntil: null } : {}) } });
  if (fields.length) {
    await recordEvent(tx, { ...base, type: 'user.updated', details: { via: 'scim', tokenId: ctx.token.id, operation: kind, fields, ...(signIn.shared ? { signInEmailShared: true } : {}), ...ignoredDetails(change) } });
  }
  const deactivated = !before.disabled && columns.disabled;
  if (deactivated) await keepAnOwner(tx, ctx, id);
  if (deactivated || passwordHash !== undefined) await endUserSessions(tx, ctx.tenant.id, id);
  if (deactivated) {
    await recordEvent(tx, { ...base, type: 'user.disabled', details: { via: 'scim', tokenId: ctx.token.id, effects: ['sessions ended', 'grants and refresh tokens revoked'] } });
    changes.push('deactivated');
  }
  if (before.disabled && !columns.disabled) {
    await recordEvent(tx, { ...base, type: 'user.enabled', details: { via: 'scim', tokenId: ctx.token.id } });
    changes.push('reactivated');
  }
  if (passwordHash !== undefined) await recordEvent(tx, { ...base, type: passwordHash ? 'user.password.set' : 'user.password.removed', details: { via: 'scim', tokenId: ctx.token.id } });
  return changes;
}

/** The writable document of a row, to compare columns before and after. */
function userDocumentForColumns(row: UserRow, ctx: ScimContext): Doc {
  return userDocument(row, undefined, ctx.baseUrl);
}

/** PUT (RFC 7644 §3.5.1): the body replaces every writable attribute. Omitted `password` and `active` keep their current values. */
export async function replaceUser(ctx: ScimContext, id: string, body: unknown, preconditions: Preconditions): Promise<ResourceResult> {
  const doc = normalizeResourceBody(userResourceType, body);
  const password = checkPassword(ctx, doc.password);
  delete doc.password;
  try {
    const { result, changes } = await inTransaction(async (tx) => {
      const locked = await lockUser(tx, ctx, id);
      checkPreconditions(locked.version, preconditions, 'write');
      const before = (await readUser(tx, ctx, id, { groups: false }))!;
      // A PUT never clears the password: a null one is as good as an omitted one (see above).
      const changes = await writeUser(tx, ctx, before.row.id, before.row, doc, { ...password, password: password.password ?? undefined }, 'replaced');
      return { result: (await readUser(tx, ctx, id))!, changes };
    });
    count(ctx, changes);
    return result;
  } catch (error) {
    return conflict(error);
  }
}

/** PATCH (RFC 7644 §3.5.2): all operations or none. */
export async function patchUser(ctx: ScimContext, id: string, body: unknown, preconditions: Preconditions): Promise<ResourceResult> {
  const operations = parsePatchBody(body);
  try {
    const { result, changes } = await inTransaction(async (tx) => {
      const locked = await lockUser(tx, ctx, id);
      checkPreconditions(locked.version, preconditions, 'write');
      const before = (await readUser(tx, ctx, id))!;
      const next = applyPatch(userResourceType, before.doc, operations);
      // `remove active` cannot be honoured truthfully: this product has no "unassigned" state for
      // it, only enabled or disabled. Reading removal as "not disabled" (the default) would turn
      // an ambiguous request into a reactivation, the one lifecycle change that grants access
      // (a client may well mean "no longer active"); keeping the old value while answering 200
      // would claim a change that did not happen. So: 400, and nothing changes.
      if (next.active === undefined) throw invalidValue("'active' cannot be removed: replace it with true or false");
      const password = checkPassword(ctx, next.password);
      delete next.password;
      const changes = await writeUser(tx, ctx, before.row.id, before.row, next, password, 'patched');
      return { result: (await readUser(tx, ctx, id))!, changes };
    });
    count(ctx, changes);
    return result;
  } catch (error) {
    return conflict(error);
  }
}

/** DELETE: as lib/users deleteUser: sessions, grants and refresh tokens go with the user. */
export async function deleteUser(ctx: ScimContext, id: string, preconditions: Preconditions): Promise<void> {
  await inTransaction(async (tx) => {
    const locked = await lockUser(tx, ctx, id);
    checkPreconditions(locked.version, preconditions, 'write');
    const user = await tx.user.findUniqueOrThrow({ where: { id: id.toLowerCase() }, select: { id: true, username: true, externalId: true } });
    await keepAnOwner(tx, ctx, user.id);
    await endUserSessions(tx, ctx.tenant.id, user.id);
    await tx.user.delete({ where: { id: user.id } });
    await recordEvent(tx, { ...eventBase(ctx), type: 'user.deleted', outcome: 'success', subject: user.id, details: { via: 'scim', tokenId: ctx.token.id, username: user.username, externalId: user.externalId } });
  });
  count(ctx, ['deleted']);
}

import crypto from 'node:crypto';
import { recordEvent } from '@/lib/audit';
import { eventBase, inTransaction, UUID_RE, type ScimContext, type Tx } from '../context';
import { invalidValue, notFound } from '../errors';
import { scimMetrics } from '../metrics';
import { isObject, normalizeResourceBody, type Doc } from '../normalize';
import { applyPatch, parsePatchBody } from '../patch';
import { checkPreconditions, type Preconditions } from '../preconditions';
import { GROUP_FROM, GROUP_SELECT, MEMBERS_SQL, groupDocument, type GroupRow, type MemberRow } from '../resources/groups';
import { groupResourceType } from '../schema/definitions';
import type { ResourceResult } from './users';

/** Groups over SCIM: the group row and its membership rows change in one transaction. */

export async function membersOfGroups(tx: Tx, groupIds: string[]): Promise<Map<string, MemberRow[]>> {
  const out = new Map<string, MemberRow[]>();
  if (groupIds.length === 0) return out;
  const rows = await tx.$queryRawUnsafe<MemberRow[]>(MEMBERS_SQL, groupIds);
  for (const r of rows) {
    const list = out.get(r.groupId) ?? [];
    list.push(r);
    out.set(r.groupId, list);
  }
  return out;
}

export async function readGroup(tx: Tx, ctx: ScimContext, id: string, options: { members?: boolean } = {}): Promise<(ResourceResult & { row: GroupRow; members: MemberRow[] }) | null> {
  if (!UUID_RE.test(id)) return null;
  const rows = await tx.$queryRawUnsafe<GroupRow[]>(`SELECT ${GROUP_SELECT} FROM ${GROUP_FROM} WHERE g.tenant_id = $1::uuid AND g.id = $2::uuid`, ctx.tenant.id, id.toLowerCase());
  if (!rows[0]) return null;
  const members = options.members === false ? [] : (await membersOfGroups(tx, [rows[0].id])).get(rows[0].id) ?? [];
  return { row: rows[0], members, doc: groupDocument(rows[0], options.members === false ? undefined : members, ctx.baseUrl), version: rows[0].version };
}

export async function getGroup(ctx: ScimContext, tx: Tx, id: string, options: { members?: boolean } = {}): Promise<ResourceResult> {
  const found = await readGroup(tx, ctx, id, options);
  if (!found) throw notFound(`Group ${id} not found`);
  return found;
}

async function lockGroup(tx: Tx, ctx: ScimContext, id: string): Promise<number> {
  if (!UUID_RE.test(id)) throw notFound(`Group ${id} not found`);
  const rows = await tx.$queryRawUnsafe<{ version: number }[]>(`SELECT version FROM groups WHERE tenant_id = $1::uuid AND id = $2::uuid FOR UPDATE`, ctx.tenant.id, id.toLowerCase());
  if (!rows[0]) throw notFound(`Group ${id} not found`);
  return rows[0].version;
}

type Member = { id: string; type: 'User' | 'Group' };

/** Each member value must be the id of a User or Group of this tenant (not the group itself). */
async function resolveMembers(tx: Tx, ctx: ScimContext, members: unknown, selfId: string): Promise<Member[]> {
  const list = Array.isArray(members) ? members.filter(isObject) : [];
  const ids = new Map<string, string | undefined>();
  for (const m of list) {
    const value = m.value;
    if (typeof value !== 'string' || !UUID_RE.test(value)) throw invalidValue(`'members': "${String(value)}" is not the id of a User or Group of this tenant`);
    const type = typeof m.type === 'string' ? m.type : undefined;
    if (type !== undefined && !/^(user|group)$/i.test(type)) throw invalidValue(`'members': type "${type}" must be "User" or "Group"`);
    ids.set(value.toLowerCase(), type);
  }
  if (ids.size === 0) return [];
  if (ids.has(selfId)) throw invalidValue('A group cannot be a member of itself');
  const values = [...ids.keys()];
  const users = new Set((await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM users WHERE tenant_id = $1::uuid AND id = ANY($2::uuid[])', ctx.tenant.id, values)).map((r) => r.id));
  const groups = new Set((await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM groups WHERE tenant_id = $1::uuid AND id = ANY($2::uuid[])', ctx.tenant.id, values)).map((r) => r.id));
  return values.map((id) => {
    const type = users.has(id) ? 'User' : groups.has(id) ? 'Group' : null;
    if (!type) throw invalidValue(`'members': no User or Group ${id} in this tenant`);
    const declared = ids.get(id);
    if (declared && declared.toLowerCase() !== type.toLowerCase()) throw invalidValue(`'members': ${id} is a ${type}, not a ${declared}`);
    return { id, type };
  });
}

/** Brings the membership rows to `next`; returns the ids added and removed. */
async function writeMembers(tx: Tx, groupId: string, current: Member[], next: Member[]) {
  const key = (m: Member) => `${m.type}:${m.id}`;
  const have = new Set(current.map(key));
  const want = new Set(next.map(key));
  const added = next.filter((m) => !have.has(key(m)));
  const removed = current.filter((m) => !want.has(key(m)));
  const ids = (list: Member[], type: Member['type']) => list.filter((m) => m.type === type).map((m) => m.id);
  if (removed.length) {
    await tx.$executeRawUnsafe(
      'DELETE FROM group_members WHERE group_id = $1::uuid AND (user_id = ANY($2::uuid[]) OR member_group_id = ANY($3::uuid[]))',
      groupId,
      ids(removed, 'User'),
      ids(removed, 'Group'),
    );
  }
  if (added.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO group_members (group_id, user_id, member_group_id)
       SELECT $1::uuid, u, NULL FROM unnest($2::uuid[]) AS u
       UNION ALL SELECT $1::uuid, NULL, g FROM unnest($3::uuid[]) AS g`,
      groupId,
      ids(added, 'User'),
      ids(added, 'Group'),
    );
  }
  return { added: added.map((m) => m.id), removed: removed.map((m) => m.id) };
}

function groupFields(doc: Doc) {
  const displayName = doc.displayName;
  if (typeof displayName !== 'string' || displayName.trim() === '') throw invalidValue("'displayName' is required");
  return { displayName, externalId: typeof doc.externalId === 'string' ? doc.externalId : null };
}

const sample = (ids: string[]) => (ids.length > 100 ? [...ids.slice(0, 100), `… ${ids.length - 100} more`] : ids);

export async function createGroup(ctx: ScimContext, body: unknown): Promise<ResourceResult> {
  const doc = normalizeResourceBody(groupResourceType, body);
  const fields = groupFields(doc);
  const result = await inTransaction(async (tx) => {
    const id = crypto.randomUUID();
    const members = await resolveMembers(tx, ctx, doc.members, id);
    await tx.group.create({ data: { id, tenantId: ctx.tenant.id, ...fields } });
    const { added } = await writeMembers(tx, id, [], members);
    // The members a group is created with are part of its creation, not a modification: undo the
    // membership trigger's bump, so a new group has its first version and lastModified equal to
    // created (RFC 7643 §3.1). The members' own versions did change, and stay bumped.
    if (added.length) await tx.$executeRawUnsafe('UPDATE groups SET version = 1, modified_at = created_at WHERE id = $1::uuid', id);
    await recordEvent(tx, { ...eventBase(ctx), type: 'group.created', outcome: 'success', subject: id, details: { via: 'scim', tokenId: ctx.token.id, displayName: fields.displayName, externalId: fields.externalId, membersAdded: sample(added) } });
    return (await readGroup(tx, ctx, id))!;
  });
  scimMetrics().changes.inc({ tenant: ctx.tenant.slug, resource: 'Group', change: 'created' });
  return result;
}

async function writeGroup(tx: Tx, ctx: ScimContext, before: NonNullable<Awaited<ReturnType<typeof readGroup>>>, next: Doc, kind: 'replaced' | 'patched'): Promise<boolean> {
  const fields = groupFields(next);
  const id = before.row.id;
  const members = await resolveMembers(tx, ctx, next.members, id);
  const renamed = fields.displayName !== before.row.displayName || fields.externalId !== before.row.externalId;
  if (renamed) await tx.group.update({ where: { id }, data: fields });
  const { added, removed } = await writeMembers(
    tx,
    id,
    before.members.map((m) => ({ id: m.value, type: m.type })),
    members,
  );
  if (!renamed && added.length === 0 && removed.length === 0) return false;
  await recordEvent(tx, {
    ...eventBase(ctx),
    type: 'group.updated',
    outcome: 'success',
    subject: id,
    details: { via: 'scim', tokenId: ctx.token.id, operation: kind, ...(renamed ? { displayName: fields.displayName, externalId: fields.externalId } : {}), membersAdded: sample(added), membersRemoved: sample(removed) },
  });
  return true;
}

const counted = async (ctx: ScimContext, kind: 'replaced' | 'patched', run: () => Promise<{ result: ResourceResult; changed: boolean }>) => {
  const { result, changed } = await run();
  if (changed) scimMetrics().changes.inc({ tenant: ctx.tenant.slug, resource: 'Group', change: kind });
  return result;
};

export async function replaceGroup(ctx: ScimContext, id: string, body: unknown, preconditions: Preconditions): Promise<ResourceResult> {
  const doc = normalizeResourceBody(groupResourceType, body);
  return counted(ctx, 'replaced', () =>
    inTransaction(async (tx) => {
      checkPreconditions(await lockGroup(tx, ctx, id), preconditions, 'write');
      const before = (await readGroup(tx, ctx, id))!;
      const changed = await writeGroup(tx, ctx, before, doc, 'replaced');
      return { result: (await readGroup(tx, ctx, id))!, changed };
    }),
  );
}

export async function patchGroup(ctx: ScimContext, id: string, body: unknown, preconditions: Preconditions): Promise<ResourceResult> {
  const operations = parsePatchBody(body);
  return counted(ctx, 'patched', () =>
    inTransaction(async (tx) => {
      checkPreconditions(await lockGroup(tx, ctx, id), preconditions, 'write');
      const before = (await readGroup(tx, ctx, id))!;
      const next = applyPatch(groupResourceType, before.doc, operations);
      const changed = await writeGroup(tx, ctx, before, next, 'patched');
      return { result: (await readGroup(tx, ctx, id))!, changed };
    }),
  );
}

export async function deleteGroup(ctx: ScimContext, id: string, preconditions: Preconditions): Promise<void> {
  await inTransaction(async (tx) => {
    checkPreconditions(await lockGroup(tx, ctx, id), preconditions, 'write');
    const group = await tx.group.findUniqueOrThrow({ where: { id: id.toLowerCase() }, select: { id: true, displayName: true, externalId: true } });
    await tx.group.delete({ where: { id: group.id } });
    await recordEvent(tx, { ...eventBase(ctx), type: 'group.deleted', outcome: 'success', subject: group.id, details: { via: 'scim', tokenId: ctx.token.id, displayName: group.displayName, externalId: group.externalId } });
  });
  scimMetrics().changes.inc({ tenant: ctx.tenant.slug, resource: 'Group', change: 'deleted' });
}

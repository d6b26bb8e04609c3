import { getPrisma } from '@/lib/db';
import { LIMITS, URN } from '../constants';
import type { ScimContext, Tx } from '../context';
import { invalidSyntax, invalidValue } from '../errors';
import { parseFilter, type Filter } from '../filter/parse';
import { compileFilter, compileSort, SqlParams, type ResourceSql } from '../filter/sql';
import { isObject, type Doc } from '../normalize';
import { parseAttributeList, project, showsAttribute, type ProjectionRequest } from '../projection';
import { GROUP_FROM, GROUP_SELECT, groupDocument, groupSql, type GroupRow } from '../resources/groups';
import { USER_FROM, USER_SELECT, userDocument, userSql, type UserRow } from '../resources/users';
import { groupResourceType, userResourceType } from '../schema/definitions';
import { parseAttrPath } from '../schema/resolve';
import type { AttributeDef, ResourceTypeDef } from '../schema/types';
import { membersOfGroups } from './groups';
import { groupsOfUsers } from './users';

/**
 * Queries (RFC 7644 §3.4.2): filter, sortBy/sortOrder, startIndex/count, attributes and
 * excludedAttributes, from a GET query string or a POST /.search body. Filtering, sorting and
 * paging happen in one parameterised SQL statement per resource type; only the page is loaded.
 */

export interface ListQuery extends ProjectionRequest {
  filter?: Filter;
  filterText?: string;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  startIndex: number;
  count: number;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[-+]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw invalidValue(`'${name}' must be an integer`);
  return n;
}

function build(raw: { filter?: unknown; sortBy?: unknown; sortOrder?: unknown; startIndex?: unknown; count?: unknown; attributes?: string[]; excludedAttributes?: string[] }): ListQuery {
  if (raw.filter !== undefined && typeof raw.filter !== 'string') throw invalidValue("'filter' must be a string");
  if (raw.sortBy !== undefined && typeof raw.sortBy !== 'string') throw invalidValue("'sortBy' must be a string");
  let sortOrder: ListQuery['sortOrder'] = 'ascending';
  if (raw.sortOrder !== undefined && raw.sortOrder !== '') {
    if (typeof raw.sortOrder !== 'string' || !/^(ascending|descending)$/i.test(raw.sortOrder)) throw invalidValue("'sortOrder' must be \"ascending\" or \"descending\"");
    sortOrder = raw.sortOrder.toLowerCase() as ListQuery['sortOrder'];
  }
  // RFC 7644 §3.4.2.4: startIndex below 1 is 1; a negative count is 0; count is capped at maxResults.
  const startIndex = Math.max(1, integer(raw.startIndex, 'startIndex') ?? 1);
  const count = Math.min(LIMITS.maxResults, Math.max(0, integer(raw.count, 'count') ?? LIMITS.defaultCount));
  const filterText = typeof raw.filter === 'string' && raw.filter.trim() !== '' ? raw.filter : undefined;
  return {
    filter: filterText ? parseFilter(filterText) : undefined,
    filterText,
    sortBy: typeof raw.sortBy === 'string' && raw.sortBy.trim() !== '' ? raw.sortBy.trim() : undefined,
    sortOrder,
    startIndex,
    count,
    attributes: raw.attributes,
    excludedAttributes: raw.excludedAttributes,
  };
}

export function queryFromSearchParams(params: URLSearchParams): ListQuery {
  return build({
    filter: params.get('filter') ?? undefined,
    sortBy: params.get('sortBy') ?? undefined,
    sortOrder: params.get('sortOrder') ?? undefined,
    startIndex: params.get('startIndex') ?? undefined,
    count: params.get('count') ?? undefined,
    attributes: parseAttributeList(params.get('attributes'), 'attributes'),
    excludedAttributes: parseAttributeList(params.get('excludedAttributes'), 'excludedAttributes'),
  });
}

/** A SearchRequest body (RFC 7644 §3.4.3). */
export function queryFromSearchBody(body: unknown): ListQuery {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object');
  const get = (name: string) => body[Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name];
  const schemas = get('schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.searchRequest.toLowerCase())) throw invalidSyntax(`'schemas' must be ["${URN.searchRequest}"]`);
  const list = (name: string) => {
    const v = get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return parseAttributeList(v, name);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidValue(`'${name}' must be an array of attribute paths`);
    return parseAttributeList(v.join(','), name);
  };
  return build({ filter: get('filter'), sortBy: get('sortBy'), sortOrder: get('sortOrder'), startIndex: get('startIndex'), count: get('count'), attributes: list('attributes'), excludedAttributes: list('excludedAttributes') });
}


interface Kind {
  rt: ResourceTypeDef;
  alias: 'u' | 'g';
  from: string;
  select: string;
  sql: ResourceSql;
  defaultSort: string;
}

function kinds(ctx: ScimContext): { user: Kind; group: Kind } {
  return {
    user: { rt: userResourceType, alias: 'u', from: USER_FROM, select: USER_SELECT, sql: userSql(ctx.baseUrl), defaultSort: 'u.username' },
    group: { rt: groupResourceType, alias: 'g', from: GROUP_FROM, select: GROUP_SELECT, sql: groupSql(ctx.baseUrl), defaultSort: 'lower(g.display_name)' },
  };
}

function where(kind: Kind, ctx: ScimContext, q: ListQuery, params: SqlParams, lenient: boolean): string {
  const tenant = `${kind.alias}.tenant_id = ${params.add(ctx.tenant.id)}::uuid`;
  return q.filter ? `${tenant} AND (${compileFilter(q.filter, kind.rt, kind.sql, params, { lenient })})` : tenant;
}

export interface ListResponse {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Doc[];
}

/** A compiled query, for tests and for logging what ran: SQL text and its bind values. */
export interface CompiledList {
  rows: { sql: string; params: unknown[] };
  count: { sql: string; params: unknown[] };
}

export function compileList(ctx: ScimContext, rt: ResourceTypeDef, q: ListQuery): CompiledList {
  const kind = rt === userResourceType ? kinds(ctx).user : kinds(ctx).group;
  const params = new SqlParams();
  const condition = where(kind, ctx, q, params, false);
  const countParams = [...params.values];
  const countSql = `SELECT count(*)::int AS n FROM ${kind.from} WHERE ${condition}`;
  const direction = q.sortOrder === 'descending' ? 'DESC' : 'ASC';
  const sort = q.sortBy ? compileSort(q.sortBy, parseAttrPath(q.sortBy), rt, kind.sql, params) : null;
  const order = sort ? `${sort.sql} ${direction}, ${kind.alias}.id` : `${kind.defaultSort}, ${kind.alias}.id`;
  const rowsSql = `SELECT ${kind.select} FROM ${kind.from} WHERE ${condition} ORDER BY ${order} LIMIT ${params.add(q.count)}::int OFFSET ${params.add(q.startIndex - 1)}::int`;
  return { rows: { sql: rowsSql, params: params.values }, count: { sql: countSql, params: countParams } };
}

async function loadDocs(tx: Tx, ctx: ScimContext, rt: ResourceTypeDef, rows: (UserRow | GroupRow)[], q: ProjectionRequest): Promise<Doc[]> {
  const ids = rows.map((r) => r.id);
  if (rt === userResourceType) {
    const groups = showsAttribute(rt, q, 'groups') ? await groupsOfUsers(tx, ids) : undefined;
    return (rows as UserRow[]).map((r) => project(rt, userDocument(r, groups?.get(r.id) ?? [], ctx.baseUrl), q));
  }
  const members = showsAttribute(rt, q, 'members') ? await membersOfGroups(tx, ids) : undefined;
  return (rows as GroupRow[]).map((r) => project(rt, groupDocument(r, members?.get(r.id) ?? [], ctx.baseUrl), q));
}

export async function listResources(ctx: ScimContext, rt: ResourceTypeDef, q: ListQuery): Promise<ListResponse> {
  const compiled = compileList(ctx, rt, q);
  const prisma = await getPrisma();
  const [{ n: total }] = await prisma.$queryRawUnsafe<{ n: number }[]>(compiled.count.sql, ...compiled.count.params);
  let resources: Doc[] = [];
  if (q.count > 0 && total >= q.startIndex) {
    const rows = await prisma.$queryRawUnsafe<(UserRow | GroupRow)[]>(compiled.rows.sql, ...compiled.rows.params);
    resources = await loadDocs(prisma as unknown as Tx, ctx, rt, rows, q);
  }
  return { schemas: [URN.listResponse], totalResults: total, startIndex: q.startIndex, itemsPerPage: resources.length, Resources: resources };
}

function sqlType(type: AttributeDef['type']) {
  return type === 'dateTime' ? 'timestamptz' : type === 'boolean' ? 'boolean' : type === 'integer' || type === 'decimal' ? 'numeric' : 'text';
}

/**
 * A query at the service root (RFC 7644 §3.4.2.1): Users and Groups together. Attributes one
 * resource type lacks have no value there (a filter on them is false for that type).
 */
export async function listRoot(ctx: ScimContext, q: ListQuery): Promise<ListResponse> {
  const { user, group } = kinds(ctx);
  const params = new SqlParams();
  const userWhere = where(user, ctx, q, params, true);
  const groupWhere = where(group, ctx, q, params, true);
  const countParams = [...params.values];
  const prisma = await getPrisma();
  const [{ n: total }] = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT ((SELECT count(*) FROM ${user.from} WHERE ${userWhere}) + (SELECT count(*) FROM ${group.from} WHERE ${groupWhere}))::int AS n`,
    ...countParams,
  );
  let resources: Doc[] = [];
  if (q.count > 0 && total >= q.startIndex) {
    let userKey = user.defaultSort;
    let groupKey = group.defaultSort;
    let order = 'x.rt DESC, x.sk, x.id';
    if (q.sortBy) {
      const path = parseAttrPath(q.sortBy);
      const us = compileSort(q.sortBy, path, user.rt, user.sql, params, { lenient: true });
      const gs = compileSort(q.sortBy, path, group.rt, group.sql, params, { lenient: true });
      if (!us && !gs) throw invalidValue(`sortBy: unknown attribute '${q.sortBy}'`);
      const type = us && gs && sqlType(us.type) !== sqlType(gs.type) ? 'text' : sqlType((us ?? gs)!.type);
      userKey = us ? `(${us.sql})::${type}` : `NULL::${type}`;
      groupKey = gs ? `(${gs.sql})::${type}` : `NULL::${type}`;
      order = `x.sk ${q.sortOrder === 'descending' ? 'DESC' : 'ASC'}, x.rt DESC, x.id`;
    }
    const page = await prisma.$queryRawUnsafe<{ rt: 'User' | 'Group'; id: string }[]>(
      `SELECT x.rt, x.id FROM (
         SELECT 'User' AS rt, u.id, ${userKey} AS sk FROM ${user.from} WHERE ${userWhere}
         UNION ALL
         SELECT 'Group' AS rt, g.id, ${groupKey} AS sk FROM ${group.from} WHERE ${groupWhere}
       ) x ORDER BY ${order} LIMIT ${params.add(q.count)}::int OFFSET ${params.add(q.startIndex - 1)}::int`,
      ...params.values,
    );
    const userIds = page.filter((p) => p.rt === 'User').map((p) => p.id);
    const groupIds = page.filter((p) => p.rt === 'Group').map((p) => p.id);
    const tx = prisma as unknown as Tx;
    const users = userIds.length ? await prisma.$queryRawUnsafe<UserRow[]>(`SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.id = ANY($1::uuid[])`, userIds) : [];
    const groups = groupIds.length ? await prisma.$queryRawUnsafe<GroupRow[]>(`SELECT ${GROUP_SELECT} FROM ${GROUP_FROM} WHERE g.id = ANY($1::uuid[])`, groupIds) : [];
    const docs = new Map<string, Doc>();
    const userDocs = await loadDocs(tx, ctx, user.rt, users, q);
    users.forEach((u, i) => docs.set(u.id, userDocs[i]));
    const groupDocs = await loadDocs(tx, ctx, group.rt, groups, q);
    groups.forEach((g, i) => docs.set(g.id, groupDocs[i]));
    resources = page.map((p) => docs.get(p.id)!).filter(Boolean);
  }
  return { schemas: [URN.listResponse], totalResults: total, startIndex: q.startIndex, itemsPerPage: resources.length, Resources: resources };
}

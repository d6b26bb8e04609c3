import { getLogger } from '@/lib/log';
import { LIMITS, URN } from '../constants';
import type { ScimContext } from '../context';
import { invalidSyntax, invalidValue, isScimError, ScimError } from '../errors';
import { scimMetrics } from '../metrics';
import { clone, isObject, type Doc } from '../normalize';
import type { PatchOperation } from '../patch';
import { weakEtag } from '../resources/users';
import { createGroup, deleteGroup, patchGroup, replaceGroup } from './groups';
import { createUser, deleteUser, patchUser, replaceUser, type ResourceResult } from './users';

/**
 * Bulk (RFC 7644 §3.7). Operations run one by one, each in its own transaction (a Bulk request
 * is not atomic: §3.7). `bulkId:<id>` references in paths and data are replaced by the ids the
 * earlier operations created; an operation that references a later one waits for it. Circular
 * references among new resources (§3.7.1: two groups naming each other as members, a manager
 * created later) are resolved by creating one without the reference and adding it afterwards.
 * failOnErrors stops processing after that many errors; the response lists what ran.
 */

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface BulkOperation {
  index: number;
  method: Method;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

export interface BulkOperationResult {
  method: Method;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

interface Parsed {
  failOnErrors?: number;
  operations: (BulkOperation | { index: number; error: ScimError; method?: string; bulkId?: string; path?: string })[];
}

const BULK_REF = /^bulkId:(.+)$/;

export function parseBulkBody(body: unknown): Parsed {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object');
  const get = (o: Record<string, unknown>, name: string) => o[Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name];
  const schemas = get(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.bulkRequest.toLowerCase())) throw invalidSyntax(`'schemas' must be ["${URN.bulkRequest}"]`);
  const operations = get(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax("'Operations' must be an array");
  if (operations.length > LIMITS.maxBulkOperations) {
    throw new ScimError(413, `The bulk request has ${operations.length} operations; maxOperations is ${LIMITS.maxBulkOperations}`);
  }
  const failOnErrors = get(body, 'failOnErrors');
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) throw invalidValue("'failOnErrors' must be a positive integer");
  const seen = new Set<string>();
  return {
    failOnErrors: failOnErrors as number | undefined,
    operations: operations.map((raw, index) => {
      if (!isObject(raw)) return { index, error: invalidSyntax(`Operations[${index}] must be an object`) };
      const method = typeof get(raw, 'method') === 'string' ? (get(raw, 'method') as string).toUpperCase() : undefined;
      const bulkId = get(raw, 'bulkId');
      const version = get(raw, 'version');
      const path = get(raw, 'path');
      const data = get(raw, 'data');
      const fail = (error: ScimError) => ({ index, error, method, bulkId: typeof bulkId === 'string' ? bulkId : undefined, path: typeof path === 'string' ? path : undefined });
      if (!method || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return fail(invalidSyntax(`Operations[${index}].method must be POST, PUT, PATCH or DELETE`));
      if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) return fail(invalidSyntax(`Operations[${index}].bulkId must be a non-empty string`));
      if (method === 'POST' && bulkId === undefined) return fail(invalidSyntax(`Operations[${index}]: POST requires a bulkId`));
      if (typeof bulkId === 'string') {
        if (seen.has(bulkId)) return fail(invalidValue(`Operations[${index}]: bulkId "${bulkId}" is used twice`));
        seen.add(bulkId);
      }
      if (version !== undefined && typeof version !== 'string') return fail(invalidSyntax(`Operations[${index}].version must be a string`));
      if (typeof path !== 'string') return fail(invalidSyntax(`Operations[${index}].path is required`));
      if (method !== 'DELETE' && data === undefined) return fail(invalidSyntax(`Operations[${index}]: ${method} requires data`));
      return { index, method: method as Method, bulkId: bulkId as string | undefined, version: version as string | undefined, path, data };
    }),
  };
}

/** Every `bulkId:x` in a path or data. */
function references(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value) ?? /\/bulkId:([^/]+)$/.exec(value);
    if (m) out.add(m[1]);
  } else if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (isObject(value)) Object.values(value).forEach((v) => references(v, out));
  return out;
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value);
    return m && ids.has(m[1]) ? ids.get(m[1]) : value.replace(/(\/)bulkId:([^/]+)$/, (all, slash, id) => (ids.has(id) ? `${slash}${ids.get(id)}` : all));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

/**
 * For a POST in a reference cycle: the data without its unresolved references (members, the
 * manager) and the PATCH operations that add them once they exist; null if that is not possible.
 */
function splitCycle(data: unknown, unresolved: Set<string>): { data: unknown; later: PatchOperation[] } | null {
  if (!isObject(data)) return null;
  const copy = clone(data) as Doc;
  const later: PatchOperation[] = [];
  const isUnresolved = (v: unknown) => typeof v === 'string' && BULK_REF.test(v) && unresolved.has(BULK_REF.exec(v)![1]);
  const membersKey = Object.keys(copy).find((k) => k.toLowerCase() === 'members');
  if (membersKey && Array.isArray(copy[membersKey])) {
    const members = copy[membersKey] as unknown[];
    const removed = members.filter((m) => isObject(m) && isUnresolved(m.value));
    if (removed.length) {
      copy[membersKey] = members.filter((m) => !removed.includes(m));
      later.push({ op: 'add', path: 'members', value: removed });
    }
  }
  const extKey = Object.keys(copy).find((k) => k.toLowerCase() === URN.enterpriseUser.toLowerCase());
  if (extKey && isObject(copy[extKey])) {
    const ext = copy[extKey] as Doc;
    const managerKey = Object.keys(ext).find((k) => k.toLowerCase() === 'manager');
    const manager = managerKey ? ext[managerKey] : undefined;
    if (managerKey && ((isObject(manager) && isUnresolved(manager.value)) || isUnresolved(manager))) {
      delete ext[managerKey];
      later.push({ op: 'add', path: `${URN.enterpriseUser}:manager`, value: isObject(manager) ? { value: manager.value } : { value: manager } });
    }
  }
  return references(copy).size && [...references(copy)].some((r) => unresolved.has(r)) ? null : { data: copy, later };
}

function route(path: string): { type: 'Users' | 'Groups'; id?: string } | null {
  const m = /^\/(Users|Groups)(?:\/([^/?#]+))?\/?$/.exec(path);
  return m ? { type: m[1] as 'Users' | 'Groups', id: m[2] } : null;
}

async function run(ctx: ScimContext, op: BulkOperation, path: string, data: unknown): Promise<{ status: number; result?: ResourceResult; id?: string }> {
  const target = route(path);
  if (!target) throw invalidValue(`Operations[${op.index}].path must be /Users, /Groups, /Users/{id} or /Groups/{id}`);
  const users = target.type === 'Users';
  const preconditions = { ifMatch: op.version ?? null };
  if (op.method === 'POST') {
    if (target.id) throw invalidValue(`Operations[${op.index}]: POST goes to /${target.type}`);
    const result = users ? await createUser(ctx, data) : await createGroup(ctx, data);
    return { status: 201, result, id: String(result.doc.id) };
  }
  if (!target.id) throw invalidValue(`Operations[${op.index}]: ${op.method} needs /${target.type}/{id}`);
  if (op.method === 'DELETE') {
    await (users ? deleteUser(ctx, target.id, preconditions) : deleteGroup(ctx, target.id, preconditions));
    return { status: 204, id: target.id };
  }
  const result = op.method === 'PUT' ? await (users ? replaceUser : replaceGroup)(ctx, target.id, data, preconditions) : await (users ? patchUser : patchGroup)(ctx, target.id, data, preconditions);
  return { status: 200, result, id: target.id };
}

const errorResult = (method: string | undefined, bulkId: string | undefined, error: ScimError, location?: string): BulkOperationResult => ({
  method: (method ?? 'POST') as Method,
  ...(bulkId ? { bulkId } : {}),
  ...(location ? { location } : {}),
  status: String(error.status),
  response: error.toJSON(),
});

/** The resource an operation's path names, as a URL: `${baseUrl}/Users/{id}` (bulkIds already substituted). */
const locationOf = (ctx: ScimContext, path: string) => `${ctx.baseUrl}/${path.replace(/^\/+/, '')}`;

export async function executeBulk(ctx: ScimContext, body: unknown) {
  const parsed = parseBulkBody(body);
  const failOnErrors = parsed.failOnErrors ?? Infinity;
  const results: BulkOperationResult[] = [];
  const ids = new Map<string, string>();
  const failed = new Set<string>();
  const fixups: { op: BulkOperation; resultIndex: number; type: 'Users' | 'Groups'; id: string; later: PatchOperation[] }[] = [];
  const metrics = scimMetrics();
  let errors = 0;

  const record = (op: { method?: string; bulkId?: string }, outcome: 'success' | 'failure') => metrics.bulkOperations.inc({ tenant: ctx.tenant.slug, method: op.method ?? 'unknown', outcome });
  const fail = (op: { method?: string; bulkId?: string; path?: string }, error: unknown) => {
    const scimError = isScimError(error) ? error : new ScimError(500, 'The operation failed unexpectedly');
    if (!isScimError(error)) getLogger().error({ err: error }, 'SCIM bulk operation failed');
    if (op.bulkId) failed.add(op.bulkId);
    errors++;
    record(op, 'failure');
    // RFC 7644 §3.7: location is "REQUIRED in a response, except in the event of a POST failure":
    // a failed PUT, PATCH or DELETE names the resource it was for (with the bulkIds that resolved).
    const location = op.method !== 'POST' && typeof op.path === 'string' ? locationOf(ctx, substitute(op.path, ids) as string) : undefined;
    results.push(errorResult(op.method, op.bulkId, scimError, location));
  };

  type Entry = Parsed['operations'][number];
  let pending: Entry[] = parsed.operations;
  const bulkIds = new Set(parsed.operations.flatMap((op) => (!('error' in op) && op.bulkId ? [op.bulkId] : [])));

  const execute = async (op: BulkOperation, data: unknown, later?: PatchOperation[]) => {
    try {
      const path = substitute(op.path, ids) as string;
      const { status, result, id } = await run(ctx, op, path, substitute(data, ids));
      if (op.bulkId && id) ids.set(op.bulkId, id);
      const type = route(path)!.type;
      results.push({
        method: op.method,
        ...(op.bulkId ? { bulkId: op.bulkId } : {}),
        ...(result ? { version: weakEtag(result.version) } : {}),
        // Every success has one, a DELETE's too (RFC 7644 §3.7).
        location: `${ctx.baseUrl}/${type}/${id}`,
        status: String(status),
      });
      if (later?.length && id) fixups.push({ op, resultIndex: results.length - 1, type, id, later });
      record(op, 'success');
    } catch (error) {
      fail(op, error);
    }
  };

  while (pending.length && errors < failOnErrors) {
    let progressed = false;
    const waiting: Entry[] = [];
    for (const op of pending) {
      if (errors >= failOnErrors) break;
      // Malformed operations fail where they stand, in request order.
      if ('error' in op) {
        fail(op, op.error);
        progressed = true;
        continue;
      }
      const refs = [...references([op.path, op.data])];
      const missing = refs.filter((r) => !ids.has(r));
      const broken = missing.find((r) => failed.has(r) || !bulkIds.has(r) || r === op.bulkId);
      if (broken) {
        fail(op, new ScimError(409, `bulkId "${broken}" ${failed.has(broken) ? 'refers to an operation that failed' : broken === op.bulkId ? 'refers to this operation itself' : 'is not defined in this request'}`, 'invalidValue'));
        progressed = true;
        continue;
      }
      if (missing.length) {
        waiting.push(op);
        continue;
      }
      await execute(op, op.data);
      progressed = true;
    }
    pending = waiting;
    if (!progressed && pending.length && errors < failOnErrors) {
      // Only cycles remain: create one resource without its forward references, then continue.
      const ops = pending.filter((o): o is BulkOperation => !('error' in o));
      const op = ops.find((o) => o.method === 'POST' && splitCycle(o.data, new Set([...references(o.data)].filter((r) => !ids.has(r)))));
      if (!op) {
        for (const o of pending) {
          if (errors >= failOnErrors) break;
          fail(o, new ScimError(409, 'Circular bulkId references that cannot be resolved', 'invalidValue'));
        }
        break;
      }
      const split = splitCycle(op.data, new Set([...references(op.data)].filter((r) => !ids.has(r))))!;
      pending = pending.filter((o) => o !== op);
      await execute(op, split.data, split.later);
    }
  }

  // Second half of the cycles: add the references that now exist.
  for (const fixup of fixups) {
    const operations = substitute(fixup.later, ids) as PatchOperation[];
    try {
      const body = { schemas: [URN.patchOp], Operations: operations };
      const result = fixup.type === 'Users' ? await patchUser(ctx, fixup.id, body, {}) : await patchGroup(ctx, fixup.id, body, {});
      results[fixup.resultIndex].version = weakEtag(result.version);
    } catch (error) {
      const scimError = isScimError(error) ? error : new ScimError(500, 'The operation failed unexpectedly');
      results[fixup.resultIndex] = { ...errorResult(fixup.op.method, fixup.op.bulkId, scimError), location: results[fixup.resultIndex].location };
    }
  }
  return { schemas: [URN.bulkResponse], Operations: results };
}

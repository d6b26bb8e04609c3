import { z, ZodError } from 'zod';
import { actorOf, assertCan, can, extraPermissionFor, forbiddenMessage, tenantScope, type Permission, type Principal } from '@/lib/authz';
import { emitEvent, type EventActor } from '@/lib/audit';
import { AppError, isAppError } from '@/lib/errors';
import { findTenantBySlug, type TenantRecord } from '@/lib/tenants';
import { fieldErrors } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface OperationContext {
  principal: Principal;
  /** The principal as an event actor, with the request's address and user agent. */
  actor: EventActor & ReturnType<typeof actorOf>;
  meta: RequestMeta;
}
export interface TenantOperationContext extends OperationContext {
  tenant: TenantRecord;
}

/**
 * How the permission is checked before the handler runs:
 * - tenant: the path names a tenant ({slug}); the principal needs the permission on it.
 * - global: the principal needs the permission on every tenant (e.g. creating a tenant).
 * - scoped: any grant of the permission will do; the handler narrows results to tenantScope().
 */
export type Scope = 'tenant' | 'global' | 'scoped';

type AnySchema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface OperationSpec<S extends Scope, P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined> {
  /** OpenAPI operationId, and the name the CLI and routes use. */
  id: string;
  method: HttpMethod;
  /** Under /api/admin/v1, OpenAPI template style: /tenants/{slug}/clients/{clientId}. */
  path: string;
  tag: 'tenants' | 'clients' | 'users' | 'keys' | 'audit' | 'roles' | 'scim';
  summary: string;
  description?: string;
  permission: Permission;
  scope: S;
  /** Path parameters other than {slug}. */
  params?: P;
  query?: Q;
  body?: B;
  response: { status: 200 | 201 | 204; description: string; schema?: AnySchema };
  handler(ctx: S extends 'tenant' ? TenantOperationContext : OperationContext, input: { params: Out<P>; query: Out<Q>; body: Out<B> }): Promise<unknown>;
}

export type Operation = OperationSpec<Scope, AnySchema | undefined, AnySchema | undefined, AnySchema | undefined>;

export function defineOperation<S extends Scope, P extends AnySchema | undefined = undefined, Q extends AnySchema | undefined = undefined, B extends AnySchema | undefined = undefined>(
  spec: OperationSpec<S, P, Q, B>,
): Operation {
  return spec as unknown as Operation;
}

export interface RawInput {
  params: Record<string, string | undefined>;
  query: Record<string, string>;
  /** Read only after the permission check: an unauthorised caller learns nothing from validation. */
  readBody(): Promise<unknown>;
}

/** Parses one part of the request; its errors name the part (`query.limit`, `name`). */
function parsePart<S extends AnySchema>(schema: S, value: unknown, part?: 'path' | 'query'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error, part);
  throw new AppError('invalid_input', Object.entries(fields).map(([path, message]) => `${path}: ${message}`).join('; '), { fields });
}

/** assertCan, with a clearer refusal when only the token's scope (api:read) stands in the way. */
export function check(principal: Principal, permission: Permission, tenantId: string | null, meta: RequestMeta) {
  try {
    assertCan(principal, permission, tenantId, meta);
  } catch (error) {
    if (principal.readOnly && isAppError(error) && error.code === 'forbidden' && can({ ...principal, readOnly: false }, permission, tenantId)) {
      throw new AppError('forbidden', 'this token is read-only (scope api:read); request one with scope api:write', { requiredScope: 'api:write' });
    }
    throw error;
  }
}

/**
 * Runs an operation for a principal: the one path shared by the HTTP API and the CLI's direct
 * mode. Order: tenant lookup, permission check (denials audited), input validation, handler.
 */
export async function runOperation(op: Operation, principal: Principal, meta: RequestMeta, raw: RawInput): Promise<unknown> {
  const base: OperationContext = { principal, actor: { ...actorOf(principal), ip: meta.ip, userAgent: meta.userAgent }, meta };
  let ctx: OperationContext | TenantOperationContext = base;
  if (op.scope === 'tenant') {
    const slug = raw.params.slug ?? '';
    const tenant = slug.length <= 100 ? await findTenantBySlug(slug) : null;
    if (!tenant) {
      // Only a principal who could see every tenant learns that this one does not exist; any other
      // gets, word for word, the refusal a tenant outside its scope gets.
      try {
        check(principal, op.permission, null, meta);
      } catch (error) {
        if (isAppError(error) && error.code === 'forbidden' && !error.details?.requiredScope) throw new AppError('forbidden', forbiddenMessage(op.permission, true));
        throw error;
      }
      throw new AppError('not_found', `no tenant "${slug.slice(0, 100)}"`);
    }
    check(principal, op.permission, tenant.id, meta);
    const extra = extraPermissionFor(op.permission, tenant);
    if (extra) check(principal, extra, null, meta);
    ctx = { ...base, tenant };
  } else if (op.scope === 'global') {
    check(principal, op.permission, null, meta);
  } else {
    const scope = tenantScope(principal, op.permission);
    if (scope !== 'all' && scope.length === 0) check(principal, op.permission, null, meta);
  }

  const params = op.params ? parsePart(op.params, raw.params, 'path') : undefined;
  const query = op.query ? parsePart(op.query, raw.query, 'query') : undefined;
  let body: unknown;
  if (op.body) {
    const value = await raw.readBody();
    body = parsePart(op.body, value ?? {});
  }

  // The local operator bypasses sign-in (OS access to the data directory is the credential), so
  // even what the operator only reads is recorded; writes record their own events.
  if (principal.kind === 'operator' && op.method === 'GET') {
    emitEvent({
      type: 'admin.data.read',
      outcome: 'success',
      tenantId: 'tenant' in ctx ? ctx.tenant.id : null,
      tenantSlug: 'tenant' in ctx ? ctx.tenant.slug : null,
      actor: base.actor,
      ip: meta.ip,
      userAgent: meta.userAgent,
      details: { operation: op.id },
    });
  }
  try {
    return await op.handler(ctx as never, { params, query, body } as never);
  } catch (error) {
    // A service re-validating its input reports the same way as the wrapper.
    if (error instanceof ZodError) {
      const fields = fieldErrors(error);
      throw new AppError('invalid_input', Object.entries(fields).map(([path, message]) => `${path}: ${message}`).join('; '), { fields });
    }
    throw error;
  }
}

import { getPrisma } from '@/lib/db';
import { emitEvent } from '@/lib/audit';
import { getLogger } from '@/lib/log';
import { NulCharacterError, paramsHoldNul, parseJsonRefusingNul } from '@/lib/http/nul';
import { requestMeta } from '@/lib/http/request-meta';
import { findTenantBySlug, type TenantRecord } from '@/lib/tenants';
import { LIMITS, SCIM_CONTENT_TYPE } from './constants';
import { scimBaseUrl, type ScimContext, type Tx } from './context';
import { getResourceType, getSchema, listResourceTypes, listSchemas, serviceProviderConfig } from './discovery';
import { invalidSyntax, invalidValue, isScimError, notFound, ScimError } from './errors';
import { scimMetrics } from './metrics';
import { type Doc } from './normalize';
import { checkPreconditions, type Preconditions } from './preconditions';
import { parseAttributeList, project, showsAttribute, type ProjectionRequest } from './projection';
import { weakEtag } from './resources/users';
import { groupResourceType, userResourceType } from './schema/definitions';
import type { ResourceTypeDef } from './schema/types';
import { executeBulk } from './services/bulk';
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from './services/groups';
import { listResources, listRoot, queryFromSearchBody, queryFromSearchParams } from './services/list';
import { authenticateScimToken } from './tokens';
import { createUser, deleteUser, getUser, patchUser, replaceUser, type ResourceResult } from './services/users';

/**
 * The SCIM 2.0 endpoint of a tenant: /t/{tenant}/scim/v2/… (RFC 7644 §3). One function routes
 * every request: bearer authentication, content type and size checks, the service call, and
 * RFC 7644 §3.12 errors. Every response is application/scim+json.
 */

type Handler = (ctx: ScimContext, request: Request, url: URL) => Promise<Response>;

function respond(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  const base: Record<string, string> = { 'Cache-Control': 'no-store', ...headers };
  if (body === undefined) return new Response(null, { status, headers: base });
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...base } });
}

function errorResponse(error: ScimError): Response {
  if (error.status === 304) return respond(304, undefined, error.headers);
  return respond(error.status, error.toJSON(), error.headers);
}

/** The request body as JSON: JSON media types only (415), at most maxPayloadSize bytes (413). */
export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type');
  if (type && !/^application\/(scim\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new ScimError(415, `Unsupported Content-Type "${type.slice(0, 100)}": send application/scim+json`);
  }
  // The rest of the body stays unread: the connection is closed rather than reused.
  const tooLarge = () => new ScimError(413, `The request body is larger than maxPayloadSize (${LIMITS.maxPayloadBytes} bytes)`, undefined, { Connection: 'close' });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > LIMITS.maxPayloadBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > LIMITS.maxPayloadBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalidSyntax('The request body is not valid UTF-8');
  }
  if (text.trim() === '') throw invalidSyntax('A JSON request body is required');
  try {
    return parseJsonRefusingNul(text);
  } catch (error) {
    if (error instanceof NulCharacterError) throw invalidValue(`Values must not contain the NUL character (U+0000)`);
    // No parser message: it quotes the body, which may hold a password, into the response and the audit log.
    throw invalidSyntax('The request body is not valid JSON');
  }
}

const preconditionsOf = (request: Request): Preconditions => ({ ifMatch: request.headers.get('if-match'), ifNoneMatch: request.headers.get('if-none-match') });

function projectionOf(url: URL): ProjectionRequest {
  return {
    attributes: parseAttributeList(url.searchParams.get('attributes'), 'attributes'),
    excludedAttributes: parseAttributeList(url.searchParams.get('excludedAttributes'), 'excludedAttributes'),
  };
}

function resourceResponse(ctx: ScimContext, rt: ResourceTypeDef, result: ResourceResult, url: URL, status = 200): Response {
  const etag = weakEtag(result.version);
  const headers: Record<string, string> = { ETag: etag };
  if (status === 201) headers.Location = String((result.doc.meta as Doc).location);
  return respond(status, project(rt, result.doc, projectionOf(url)), headers);
}

function resourceHandlers(rt: ResourceTypeDef) {
  const users = rt === userResourceType;
  const collection: Record<string, Handler> = {
    GET: async (ctx, _request, url) => respond(200, await listResources(ctx, rt, queryFromSearchParams(url.searchParams))),
    POST: async (ctx, request, url) => resourceResponse(ctx, rt, await (users ? createUser : createGroup)(ctx, await readJsonBody(request)), url, 201),
  };
  const search: Record<string, Handler> = {
    POST: async (ctx, request) => respond(200, await listResources(ctx, rt, queryFromSearchBody(await readJsonBody(request)))),
  };
  const item = (id: string): Record<string, Handler> => ({
    GET: async (ctx, request, url) => {
      const prisma = await getPrisma();
      const projection = projectionOf(url);
      const load = { [users ? 'groups' : 'members']: showsAttribute(rt, projection, users ? 'groups' : 'members') };
      const result = users ? await getUser(ctx, prisma as unknown as Tx, id, load) : await getGroup(ctx, prisma as unknown as Tx, id, load);
      checkPreconditions(result.version, preconditionsOf(request), 'read');
      return resourceResponse(ctx, rt, result, url);
    },
    PUT: async (ctx, request, url) => resourceResponse(ctx, rt, await (users ? replaceUser : replaceGroup)(ctx, id, await readJsonBody(request), preconditionsOf(request)), url),
    PATCH: async (ctx, request, url) => resourceResponse(ctx, rt, await (users ? patchUser : patchGroup)(ctx, id, await readJsonBody(request), preconditionsOf(request)), url),
    DELETE: async (ctx, request) => {
      await (users ? deleteUser : deleteGroup)(ctx, id, preconditionsOf(request));
      return respond(204);
    },
  });
  return { collection, search, item };
}

const usersHandlers = resourceHandlers(userResourceType);
const groupsHandlers = resourceHandlers(groupResourceType);

/** RFC 7644 §4: these endpoints take no filter (403, so clients do not assume one applied). */
const noFilter = (handler: Handler): Handler => async (ctx, request, url) => {
  if (url.searchParams.has('filter')) throw new ScimError(403, 'Filtering is not supported on this endpoint');
  return handler(ctx, request, url);
};

function route(segments: string[]): { resource: string; handlers: Record<string, Handler> } | null {
  const [first, second, ...rest] = segments;
  if (first === undefined) return { resource: 'root', handlers: { GET: async (ctx, _r, url) => respond(200, await listRoot(ctx, queryFromSearchParams(url.searchParams))) } };
  if (first === '.search' && second === undefined) return { resource: 'root', handlers: { POST: async (ctx, request) => respond(200, await listRoot(ctx, queryFromSearchBody(await readJsonBody(request)))) } };
  if (first === 'Users' || first === 'Groups') {
    const h = first === 'Users' ? usersHandlers : groupsHandlers;
    if (rest.length) return null;
    if (second === undefined) return { resource: first, handlers: h.collection };
    if (second === '.search') return { resource: first, handlers: h.search };
    return { resource: first, handlers: h.item(second) };
  }
  if (first === 'Me') {
    const notImplemented: Handler = async () => {
      throw new ScimError(501, '/Me is not supported: a SCIM token belongs to a provisioning client, not to a user');
    };
    return { resource: 'Me', handlers: { GET: notImplemented, POST: notImplemented, PUT: notImplemented, PATCH: notImplemented, DELETE: notImplemented } };
  }
  if (first === 'Bulk' && second === undefined) return { resource: 'Bulk', handlers: { POST: async (ctx, request) => respond(200, await executeBulk(ctx, await readJsonBody(request))) } };
  if (first === 'ServiceProviderConfig' && second === undefined) return { resource: first, handlers: { GET: noFilter(async (ctx) => respond(200, serviceProviderConfig(ctx))) } };
  if (first === 'Schemas' && rest.length === 0) return { resource: first, handlers: { GET: noFilter(async (ctx) => respond(200, second === undefined ? listSchemas(ctx) : getSchema(ctx, second))) } };
  if (first === 'ResourceTypes' && rest.length === 0) return { resource: first, handlers: { GET: noFilter(async (ctx) => respond(200, second === undefined ? listResourceTypes(ctx) : getResourceType(ctx, second))) } };
  return null;
}

async function authenticate(request: Request, slug: string, meta: { ip: string | null; userAgent: string | null }): Promise<ScimContext> {
  const tenant: TenantRecord | null = /^[a-z0-9-]{1,40}$/.test(slug) ? await findTenantBySlug(slug) : null;
  if (!tenant) throw notFound(`No tenant "${slug.slice(0, 40)}"`);
  const auth = await authenticateScimToken(tenant, request.headers.get('authorization'), meta);
  if (!auth.ok) {
    // RFC 6750 §3.1: a request without authentication information gets no error code; a token
    // that is not valid gets invalid_token.
    const missing = auth.reason === 'missing';
    throw new ScimError(401, missing ? 'Authentication required: send Authorization: Bearer <SCIM token of this tenant>' : 'The bearer token is not a valid SCIM token of this tenant', undefined, {
      'WWW-Authenticate': missing ? 'Bearer realm="scim"' : 'Bearer realm="scim", error="invalid_token"',
    });
  }
  if (tenant.disabled) throw new ScimError(403, 'This tenant is disabled');
  return { tenant, token: auth.token, meta, baseUrl: scimBaseUrl(tenant.slug) };
}

/**
 * Methods an endpoint answers, for `Allow` on a 405 and on OPTIONS alike (RFC 9110 §10.2.1):
 * HEAD wherever GET is (§9.3.2), OPTIONS everywhere (§9.3.7). Per path: /Users answers
 * GET, HEAD, POST, OPTIONS; /Users/{id} GET, HEAD, PUT, PATCH, DELETE, OPTIONS. (OPTIONS reaches
 * this function only when the route exports it; otherwise Next.js answers it for the whole route.)
 */
const allowed = (handlers: Record<string, Handler>) => [...Object.keys(handlers).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])), 'OPTIONS'];

/** The response to a HEAD: the GET's status and headers, without content (RFC 9110 §9.3.2). */
const withoutContent = (response: Response) => new Response(null, { status: response.status, headers: response.headers });

export async function handleScimRequest(request: Request, slug: string, segments: string[]): Promise<Response> {
  const started = performance.now();
  const method = request.method.toUpperCase();
  const reads = method === 'GET' || method === 'HEAD';
  const url = new URL(request.url);
  const meta = requestMeta(request.headers);
  const target = route(segments);
  const resource = target?.resource ?? 'unknown';
  let ctx: ScimContext | null = null;
  let response: Response;
  try {
    ctx = await authenticate(request, slug, { ip: meta.ip, userAgent: meta.userAgent });
    if (!target) throw notFound(`No SCIM endpoint /${segments.join('/')}`);
    if (paramsHoldNul(url.searchParams)) throw invalidValue('Query parameters must not contain the NUL character (U+0000)');
    const allow = allowed(target.handlers).join(', ');
    if (method === 'OPTIONS') response = respond(204, undefined, { Allow: allow });
    else {
      const handler = target.handlers[method === 'HEAD' ? 'GET' : method];
      if (!handler) throw new ScimError(405, `${method} is not supported on this endpoint`, undefined, { Allow: allow });
      response = await handler(ctx, request, url);
    }
  } catch (error) {
    if (isScimError(error)) response = errorResponse(error);
    else {
      getLogger().error({ err: error, method, resource }, 'SCIM request failed');
      response = errorResponse(new ScimError(500, 'An unexpected error occurred'));
    }
    if (ctx && response.status >= 400 && !reads) {
      emitEvent({
        type: 'scim.request.failed',
        outcome: 'failure',
        tenantId: ctx.tenant.id,
        tenantSlug: ctx.tenant.slug,
        actor: { type: 'scim', id: ctx.token.name },
        ip: meta.ip,
        userAgent: meta.userAgent,
        reason: isScimError(error) ? (error.scimType ?? String(error.status)) : 'server_error',
        details: { method, resource, status: response.status, tokenId: ctx.token.id, ...(isScimError(error) ? { detail: error.detail.slice(0, 300) } : {}) },
      });
    }
  }
  if (method === 'HEAD') response = withoutContent(response);
  const metrics = scimMetrics();
  metrics.requests.inc({ tenant: ctx?.tenant.slug ?? 'unknown', resource, method, status: String(response.status) });
  metrics.duration.observe({ resource, method }, (performance.now() - started) / 1000);
  return response;
}

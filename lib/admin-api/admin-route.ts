import { emitEvent } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { NulCharacterError, paramsHoldNul, parseJsonRefusingNul } from '@/lib/http/nul';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';
import { authenticate } from './authenticate';
import { BearerError, toErrorResponse } from './errors';
import { runOperation, type Operation } from './operation';

/** Request bodies are small JSON objects; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

const NO_STORE = { 'Cache-Control': 'no-store' };

const tooLarge = () => new AppError('invalid_input', `the request body is larger than ${MAX_BODY_BYTES} bytes`, { bodyTooLarge: true });

/** The body as text, refusing (without buffering further) one larger than MAX_BODY_BYTES. */
async function readBoundedText(request: Request): Promise<string> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBoundedText(request);
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type');
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new AppError('invalid_input', 'the request body must be JSON (Content-Type: application/json)');
  try {
    return parseJsonRefusingNul(text);
  } catch (error) {
    if (error instanceof NulCharacterError) throw new AppError('invalid_input', error.message);
    throw new AppError('invalid_input', 'the request body is not valid JSON');
  }
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type AdminRouteHandler = ((request: Request, context: RouteContext) => Promise<Response>) & { operation: Operation };

/**
 * The admin API's one route wrapper (as in dub's withWorkspace): bearer authentication,
 * permission check, zod validation of path, query and body, the operation, and the mapping of
 * every error to `{error:{code,message}}`. Each route file only names its operations.
 */
export function adminRoute(operation: Operation): AdminRouteHandler {
  const handler = async (request: Request, context: RouteContext) => {
    try {
      const principal = await authenticate(request);
      const rawParams = (await context?.params) ?? {};
      const params = Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]));
      const { searchParams } = new URL(request.url);
      const pathParams = Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
      if (paramsHoldNul(searchParams) || paramsHoldNul(pathParams)) throw new AppError('invalid_input', 'the path and query must not contain the NUL character (U+0000)');
      const query = Object.fromEntries(searchParams);
      const meta = { ip: request.headers.get(CLIENT_IP_HEADER), userAgent: request.headers.get('user-agent') };
      const result = await runOperation(operation, principal, meta, { params, query, readBody: () => readJsonBody(request) });
      if (operation.response.status === 204) return new Response(null, { status: 204, headers: NO_STORE });
      return Response.json(result, { status: operation.response.status, headers: NO_STORE });
    } catch (error) {
      // A refused bearer token is a security event: one that does not verify (RFC 6750
      // invalid_token), or a valid one without either API scope (a denial like any other).
      if (error instanceof BearerError && error.bearerError) {
        const denied = error.bearerError === 'insufficient_scope';
        emitEvent({
          type: denied ? 'admin.access.denied' : 'admin.api.authentication.failed',
          outcome: denied ? 'denied' : 'failure',
          actor: { type: 'client', id: error.clientId ?? null },
          ip: request.headers.get(CLIENT_IP_HEADER),
          userAgent: request.headers.get('user-agent'),
          reason: error.message,
          details: { method: request.method, path: new URL(request.url).pathname.slice(0, 200), ...(denied ? { requiredScope: error.requiredScope } : {}) },
        });
      }
      const { status, body, headers } = toErrorResponse(error);
      // The rest of an oversized body was never read: the connection cannot be reused
      // (RFC 9112 §9.6), so say it will close.
      const close: Record<string, string> = error instanceof AppError && error.details?.bodyTooLarge ? { Connection: 'close' } : {};
      return Response.json(body, { status, headers: { ...NO_STORE, ...headers, ...close } });
    }
  };
  return Object.assign(handler, { operation });
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What a route file exports for the methods it does not serve. Next's own answer is an empty 405
 * without Allow; this one is a 405 in the API's error format with Allow (RFC 9110 §15.5.6), and
 * OPTIONS lists the same methods (Next's automatic OPTIONS would list every exported handler,
 * these refusals included).
 */
export function otherMethods(...served: Method[]): Record<Method | 'OPTIONS', (request: Request) => Response> {
  const allow = [...served.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])), 'OPTIONS'].join(', ');
  const refuse = (request: Request) =>
    Response.json({ error: { code: 'method_not_allowed', message: `${request.method} is not supported on this path (${allow})` } }, { status: 405, headers: { ...NO_STORE, Allow: allow } });
  const handlers: Partial<Record<Method | 'OPTIONS', (request: Request) => Response>> = { OPTIONS: () => new Response(null, { status: 204, headers: { Allow: allow } }) };
  for (const method of METHODS) if (!served.includes(method)) handlers[method] = refuse;
  // Typed whole for the route files, which take exactly the methods they do not serve.
  return handlers as Record<Method | 'OPTIONS', (request: Request) => Response>;
}

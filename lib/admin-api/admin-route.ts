import { AppError } from '@/lib/errors';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';
import { authenticate } from './authenticate';
import { toErrorResponse } from './errors';
import { runOperation, type Operation } from './operation';

/** Request bodies are small JSON objects; anything larger is refused before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

const NO_STORE = { 'Cache-Control': 'no-store' };

async function readJsonBody(request: Request): Promise<unknown> {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new AppError('invalid_input', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError('invalid_input', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === '') return {};
  const type = request.headers.get('content-type');
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) throw new AppError('invalid_input', 'the request body must be JSON (Content-Type: application/json)');
  try {
    return JSON.parse(text);
  } catch {
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
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const meta = { ip: request.headers.get(CLIENT_IP_HEADER), userAgent: request.headers.get('user-agent') };
      const result = await runOperation(operation, principal, meta, { params, query, readBody: () => readJsonBody(request) });
      if (operation.response.status === 204) return new Response(null, { status: 204, headers: NO_STORE });
      return Response.json(result, { status: operation.response.status, headers: NO_STORE });
    } catch (error) {
      const { status, body, headers } = toErrorResponse(error);
      return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
    }
  };
  return Object.assign(handler, { operation });
}

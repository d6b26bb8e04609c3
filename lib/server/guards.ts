import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request guards run in server.ts for every request, before any routing or expensive work
 * (provider, Next, Argon2, database writes): threat-intelligence blocking, rate limits, …
 * Each guard either lets the request continue or answers it itself.
 */
export type EndpointClass =
  | 'authorization' | 'token' | 'introspection' | 'revocation' | 'userinfo' | 'end_session' | 'discovery'
  | 'login' | 'mfa' | 'interaction' | 'account' | 'scim' | 'admin_api' | 'console' | 'health' | 'other';

export interface GuardContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** The client address (trusted-proxy aware). */
  ip: string;
  method: string;
  path: string;
  tenantSlug: string | null;
  endpoint: EndpointClass;
}

/** true: the guard answered the request (blocked it); false: continue. */
export type Guard = (ctx: GuardContext) => Promise<boolean> | boolean;

interface Registered {
  name: string;
  order: number;
  guard: Guard;
}

const KEY = Symbol.for('iam.guards');
type WithGuards = typeof globalThis & { [KEY]?: Registered[] };
const registry = (): Registered[] => ((globalThis as WithGuards)[KEY] ??= []);

/** Registers (or replaces) a guard; lower order runs first (threat checks 10, rate limits 20). */
export function registerGuard(name: string, order: number, guard: Guard) {
  const list = registry().filter((g) => g.name !== name);
  list.push({ name, order, guard });
  list.sort((a, b) => a.order - b.order);
  (globalThis as WithGuards)[KEY] = list;
}

export async function runGuards(ctx: GuardContext): Promise<boolean> {
  for (const { guard } of registry()) {
    if (await guard(ctx)) return true;
  }
  return false;
}

const TENANT = /^\/t\/([a-z0-9-]{1,40})(\/.*)?$/;

/** Which kind of endpoint a path is, for policies and metrics. */
export function classifyRequest(method: string, path: string): { tenantSlug: string | null; endpoint: EndpointClass } {
  const tenant = TENANT.exec(path);
  if (tenant) {
    const rest = tenant[2] ?? '/';
    const slug = tenant[1];
    const of = (endpoint: EndpointClass) => ({ tenantSlug: slug, endpoint });
    if (rest === '/auth' || rest.startsWith('/auth/')) return of('authorization');
    if (rest === '/token') return of('token');
    if (rest === '/token/introspection') return of('introspection');
    if (rest === '/token/revocation') return of('revocation');
    if (rest === '/me') return of('userinfo');
    if (rest.startsWith('/session/end')) return of('end_session');
    if (rest.startsWith('/.well-known/') || rest === '/jwks') return of('discovery');
    if (rest.startsWith('/interaction/')) {
      if (method === 'POST' && /\/login$/.test(rest)) return of('login');
      if (method === 'POST' && /\/(mfa|enrol)$/.test(rest)) return of('mfa');
      return of('interaction');
    }
    if (rest === '/account' || rest.startsWith('/account/')) return of('account');
    if (rest.startsWith('/scim/')) return of('scim');
    return of('other');
  }
  if (path.startsWith('/api/admin/')) return { tenantSlug: null, endpoint: 'admin_api' };
  if (path.startsWith('/console')) return { tenantSlug: null, endpoint: 'console' };
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return { tenantSlug: null, endpoint: 'health' };
  return { tenantSlug: null, endpoint: 'other' };
}

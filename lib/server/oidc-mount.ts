import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig } from '@/lib/config';
import { getTenantProvider } from '@/lib/oidc';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';

// /t/{slug}/… is a tenant's issuer; /t/{slug}/interaction/… are our sign-in pages (Next.js) and their form posts (lib/http/interaction-post.ts).
const TENANT_PATH = /^\/t\/([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(\/[^?]*)?(\?.*)?$/;

export function matchTenantPath(url: string): { slug: string; rest: string; query: string } | null {
  const match = TENANT_PATH.exec(url);
  if (!match) return null;
  return { slug: match[1], rest: match[2] ?? '', query: match[3] ?? '' };
}

/**
 * RFC 8414 §3: for an issuer with a path, the metadata lives at the host's well-known URI with the
 * issuer's path appended (/.well-known/oauth-authorization-server/t/{slug}). Also accepted for
 * openid-configuration, which some clients look up the same way; OIDC Discovery's own location
 * (/t/{slug}/.well-known/openid-configuration) is served as always.
 */
const INSERTED_WELL_KNOWN = /^\/\.well-known\/(oauth-authorization-server|openid-configuration)\/t\/([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(\?.*)?$/;

export function matchInsertedWellKnown(url: string): { slug: string; rest: string; query: string } | null {
  const match = INSERTED_WELL_KNOWN.exec(url);
  return match ? { slug: match[2], rest: `/.well-known/${match[1]}`, query: match[3] ?? '' } : null;
}

/** Paths under a tenant served by Next.js: sign-in pages, the self-service account page, SCIM. */
export const isInteractionPath = (rest: string) =>
  rest.startsWith('/interaction/') || rest === '/account' || rest.startsWith('/account/') || rest.startsWith('/scim/');

function sendJson(res: ServerResponse, status: number, body: object) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

/**
 * Hands a request under a tenant's issuer to that tenant's oidc-provider (a Koa app), the way a
 * mounting framework would: the prefix is stripped from req.url and kept in req.originalUrl.
 * Returns the endpoint label for metrics.
 */
export async function handleOidcRequest(req: IncomingMessage, res: ServerResponse, target: { slug: string; rest: string; query: string }) {
  const entry = await getTenantProvider(target.slug);
  if (!entry) {
    sendJson(res, 404, { error: 'invalid_request', error_description: 'unknown issuer' });
    return 'unknown';
  }
  if (entry.tenant.disabled) {
    sendJson(res, 403, { error: 'access_denied', error_description: 'this tenant is disabled' });
    return 'disabled';
  }
  // The issuer's own path (also for the RFC 8414 path-inserted metadata URL): oidc-provider
  // derives its endpoint URLs' mount prefix from it.
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = `/t/${target.slug}${target.rest}${target.query}`;
  req.url = `${target.rest || '/'}${target.query}`;
  // oidc-provider builds endpoint URLs from the request's host and protocol. Those come from
  // PUBLIC_ORIGIN, never from the client (no Host-header injection into discovery or
  // redirects), and the client address is the one server.ts established (trusted proxies only).
  const origin = new URL(getConfig().server.publicOrigin);
  req.headers.host = origin.host;
  req.headers['x-forwarded-host'] = origin.host;
  req.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
  req.headers['x-forwarded-for'] = String(req.headers[CLIENT_IP_HEADER] ?? req.socket.remoteAddress ?? '');
  await entry.handle(req, res);
  return endpointLabel(target.rest);
}

const KNOWN_ENDPOINTS = ['/.well-known/openid-configuration', '/jwks', '/auth', '/token', '/me', '/token/introspection', '/token/revocation', '/session/end'];

function endpointLabel(rest: string) {
  if (rest.startsWith('/auth/')) return '/auth';
  if (rest.startsWith('/session/end')) return '/session/end';
  return KNOWN_ENDPOINTS.includes(rest) ? rest : 'other';
}

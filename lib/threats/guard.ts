import type { ServerResponse } from 'node:http';
import { getConfig } from '@/lib/config';
import type { EndpointClass, GuardContext } from '@/lib/server/guards';
import { currentSnapshot } from './engine';
import { recordAllowed, recordHit } from './hits';
import { evaluateIp } from './verdict';

/** The order of the threat check in the guard pipeline (before rate limits at 20). */
export const THREAT_GUARD_ORDER = 10;

// OAuth/OIDC endpoints answer JSON (RFC 6749 §5.2 error shape) even when refusing.
const OAUTH_JSON: ReadonlySet<EndpointClass> = new Set(['token', 'introspection', 'revocation', 'userinfo', 'discovery']);
const MESSAGE = 'requests from your network address are not accepted';

/**
 * Runs for every request (lib/server/guards.ts): the client address (trusted-proxy aware)
 * against every enabled IOC. Block answers 403 here; challenge and log let the request through
 * (the sign-in interaction asks threatVerdictFor for challenge). Health endpoints are exempt so
 * a load balancer's probes never depend on a feed's content.
 */
export function threatGuard(ctx: GuardContext): boolean {
  if (ctx.endpoint === 'health' || !getConfig().features.threatIntel) return false;
  const snapshot = currentSnapshot();
  const tenantId = ctx.tenantSlug ? (snapshot.tenantIds.get(ctx.tenantSlug) ?? null) : null;
  const result = evaluateIp(ctx.ip, tenantId, snapshot);
  if (result.allowedBy) recordAllowed();
  if (result.verdict === 'allow') return false;
  const action = result.verdict;
  recordHit({
    kind: 'ip',
    value: ctx.ip,
    tenantId,
    tenantSlug: ctx.tenantSlug,
    action,
    sources: result.sources,
    ip: ctx.ip,
    userAgent: typeof ctx.req.headers['user-agent'] === 'string' ? ctx.req.headers['user-agent'] : null,
    details: { endpoint: ctx.endpoint, method: ctx.method, path: ctx.path.slice(0, 200) },
  });
  if (action !== 'block') return false;
  sendBlocked(ctx);
  return true;
}

function sendBlocked(ctx: GuardContext) {
  const { res } = ctx;
  res.statusCode = 403;
  res.setHeader('Cache-Control', 'no-store');
  const accept = String(ctx.req.headers.accept ?? '');
  if (OAUTH_JSON.has(ctx.endpoint) || (ctx.tenantSlug && ctx.endpoint === 'other' && !accept.includes('text/html'))) {
    return sendJson(res, { error: 'access_denied', error_description: MESSAGE });
  }
  if (ctx.endpoint === 'admin_api') return sendJson(res, { error: { code: 'forbidden', message: MESSAGE } });
  if (ctx.endpoint === 'scim') {
    // RFC 7644 §3.12
    return sendJson(res, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: MESSAGE }, 'application/scim+json');
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  res.end(
    ctx.method === 'HEAD'
      ? undefined
      : `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Access denied</title>` +
          `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#0f172a}h1{font-size:1.5rem}p{color:#475569}</style></head>` +
          `<body><main><h1>Access denied</h1><p>Sign-in is not available from your network address because it appears on a threat-intelligence list. ` +
          `If you think this is a mistake, contact your administrator.</p></main></body></html>`,
  );
}

function sendJson(res: ServerResponse, body: unknown, type = 'application/json') {
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.end(JSON.stringify(body));
}

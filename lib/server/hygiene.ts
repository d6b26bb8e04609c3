import { registerGuard, type GuardContext } from './guards';
import { addressKey } from '@/lib/http/client-ip';

/**
 * Server-level DDoS hygiene, before anything else: request bodies above a ceiling are refused
 * from their declared length, and one address may hold only so many requests in flight.
 * (Header and request timeouts and keep-alive limits are set on the HTTP server itself.)
 */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_CONCURRENT_PER_IP = 64;

const inFlight = new Map<string, number>();

/** Each surface's own error format: SCIM (RFC 7644 §3.12), the admin API ({error:{code,message}}), else OAuth-style JSON. */
function refuse(ctx: GuardContext, status: number, error: string, description: string) {
  ctx.res.statusCode = status;
  if (ctx.endpoint === 'scim') {
    ctx.res.setHeader('Content-Type', 'application/scim+json; charset=utf-8');
    ctx.res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: description }));
    return;
  }
  if (ctx.endpoint === 'admin_api') {
    ctx.res.setHeader('Content-Type', 'application/json; charset=utf-8');
    ctx.res.end(JSON.stringify({ error: { code: status === 413 ? 'too_large' : 'unavailable', message: description } }));
    return;
  }
  ctx.res.setHeader('Content-Type', 'application/json; charset=utf-8');
  ctx.res.end(JSON.stringify({ error, error_description: description }));
}

function hygieneGuard(ctx: GuardContext): boolean {
  const declared = Number(ctx.req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    ctx.res.setHeader('Connection', 'close');
    refuse(ctx, 413, 'invalid_request', `request body larger than ${MAX_BODY_BYTES} bytes`);
    return true;
  }
  const key = addressKey(ctx.ip); // an IPv6 client's whole /64 is one client
  const current = inFlight.get(key) ?? 0;
  if (current >= MAX_CONCURRENT_PER_IP) {
    ctx.res.setHeader('Retry-After', '1');
    refuse(ctx, 503, 'temporarily_unavailable', 'too many concurrent requests from this address');
    return true;
  }
  inFlight.set(key, current + 1);
  ctx.res.once('close', () => {
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left <= 0) inFlight.delete(key);
    else inFlight.set(key, left);
  });
  return false;
}

export function registerHygieneGuard() {
  registerGuard('hygiene', 5, hygieneGuard);
}

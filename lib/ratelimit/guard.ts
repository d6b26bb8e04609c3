import { emitEvent } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { addressKey } from '@/lib/http/client-ip';
import { getPrisma } from '@/lib/db';
import { registerGuard, type GuardContext } from '@/lib/server/guards';
import { policiesFor, limitedEndpoints, type Policy } from './policies';
import { setRateLimitHeaders, sendTooManyRequests } from './respond';
import { consumePoint } from './store';
import { rateLimitRejections } from './metrics';

const LIMITED = new Set<string>(limitedEndpoints);
const TENANT_CACHE_MS = 30_000;
const tenantIds = new Map<string, { id: string | null; at: number }>();

async function tenantIdFor(slug: string | null): Promise<string | null> {
  if (!slug) return null;
  const cached = tenantIds.get(slug);
  if (cached && Date.now() - cached.at < TENANT_CACHE_MS) return cached.id;
  const prisma = await getPrisma();
  const row = await prisma.tenant.findUnique({ where: { slug }, select: { id: true } });
  if (tenantIds.size > 10_000) tenantIds.clear(); // unknown slugs must not grow this forever
  tenantIds.set(slug, { id: row?.id ?? null, at: Date.now() });
  return row?.id ?? null;
}

/** client_id from HTTP Basic (RFC 6749 §2.3.1) or the query string, without reading the body. */
function clientIdOf(ctx: GuardContext): string | null {
  const auth = ctx.req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const id = decoded.split(':')[0];
    try {
      return id ? decodeURIComponent(id).slice(0, 128) : null;
    } catch {
      return null;
    }
  }
  const query = ctx.req.url?.split('?')[1];
  return query ? (new URLSearchParams(query).get('client_id')?.slice(0, 128) ?? null) : null;
}

/**
 * IP- and client-keyed limits for every limited endpoint, enforced before the request reaches
 * the provider or the app (before Argon2 and before any write). Per-account limits on the sign-in
 * forms are enforced in the login service, where the account is known (lib/ratelimit/login.ts).
 */
export async function rateLimitGuard(ctx: GuardContext): Promise<boolean> {
  if (!LIMITED.has(ctx.endpoint) || !getConfig().rateLimit.enabled) return false;
  const tenantId = await tenantIdFor(ctx.tenantSlug);
  const policies = (await policiesFor(tenantId, ctx.endpoint)).filter((p) => p.keyType === 'ip' || p.keyType === 'client');
  let tightest: { policy: Policy; remaining: number; reset: number } | null = null;
  for (const policy of policies) {
    const subject = policy.keyType === 'ip' ? addressKey(ctx.ip) : clientIdOf(ctx);
    if (!subject) continue;
    const result = await consumePoint(policy.limit, policy.windowSeconds, `${ctx.tenantSlug ?? '-'}:${policy.id}:${subject}`);
    if (!result.allowed && policy.action === 'reject') {
      setRateLimitHeaders(ctx.res, policy, 0, result.resetSeconds);
      sendTooManyRequests(ctx.res, ctx.endpoint, result.resetSeconds);
      rateLimitRejections().inc({ endpoint: ctx.endpoint, key_type: policy.keyType });
      emitEvent({
        type: 'ratelimit.exceeded',
        outcome: 'denied',
        tenantId,
        tenantSlug: ctx.tenantSlug,
        actor: { type: policy.keyType === 'client' ? 'client' : 'user', id: policy.keyType === 'client' ? subject : null },
        ip: ctx.ip,
        userAgent: ctx.req.headers['user-agent'] ?? null,
        reason: `${policy.limit} per ${policy.windowSeconds}s by ${policy.keyType}`,
        details: { endpoint: ctx.endpoint, policy: policy.id },
      });
      return true;
    }
    if (!tightest || result.remaining < tightest.remaining) tightest = { policy, remaining: result.remaining, reset: result.resetSeconds };
  }
  if (tightest) setRateLimitHeaders(ctx.res, tightest.policy, tightest.remaining, tightest.reset);
  return false;
}

export function registerRateLimitGuard() {
  registerGuard('rate-limit', 20, rateLimitGuard);
}

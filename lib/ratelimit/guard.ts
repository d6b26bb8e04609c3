import { getConfig } from '@/lib/config';
import { addressKey } from '@/lib/http/client-ip';
import { getPrisma } from '@/lib/db';
import { registerGuard, type GuardContext } from '@/lib/server/guards';
import { isClientAuthenticatedEndpoint } from './client-limit';
import { enforcePolicies } from './enforce';
import { policiesFor, limitedEndpoints } from './policies';
import { setRateLimitHeaders, sendTooManyRequests } from './respond';

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

/** client_id from the query string (the authorization endpoint's), without reading the body. */
function clientIdInQuery(ctx: GuardContext): string | null {
  const query = ctx.req.url?.split('?')[1];
  return query ? (new URLSearchParams(query).get('client_id')?.slice(0, 128) ?? null) : null;
}

/**
 * IP-keyed limits for every limited endpoint (and client-keyed ones at the authorization
 * endpoint, where client_id is public by nature), enforced before the request reaches the
 * provider or the app (before Argon2 and before any write). Per-account limits on the sign-in
 * forms are enforced in the login service, where the account is known (lib/ratelimit/login.ts).
 */
export async function rateLimitGuard(ctx: GuardContext): Promise<boolean> {
  if (!LIMITED.has(ctx.endpoint) || !getConfig().rateLimit.enabled) return false;
  const tenantId = await tenantIdFor(ctx.tenantSlug);
  // Where clients authenticate, per-client limits wait for the authentication (client-limit.ts):
  // charged here, from a client_id anyone can put in a Basic header, they would let a stranger
  // spend a client's budget and lock it out.
  const perClient = !isClientAuthenticatedEndpoint(ctx.endpoint);
  const policies = (await policiesFor(tenantId, ctx.endpoint)).filter((p) => p.keyType === 'ip' || (perClient && p.keyType === 'client'));
  const scope = { tenantId, tenantSlug: ctx.tenantSlug, endpoint: ctx.endpoint, ip: ctx.ip, userAgent: ctx.req.headers['user-agent'] ?? null };
  const decision = await enforcePolicies(policies, (policy) => (policy.keyType === 'ip' ? addressKey(ctx.ip) : clientIdInQuery(ctx)), scope);
  if (!decision) return false;
  setRateLimitHeaders(ctx.res, decision.policy, decision.remaining, decision.resetSeconds);
  if (decision.rejected) sendTooManyRequests(ctx.res, ctx.endpoint, decision.resetSeconds);
  return decision.rejected;
}

export function registerRateLimitGuard() {
  registerGuard('rate-limit', 20, rateLimitGuard);
}

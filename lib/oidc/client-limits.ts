import Provider, { errors } from 'oidc-provider';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';
import { isClientAuthenticatedEndpoint, limitAuthenticatedClient } from '@/lib/ratelimit';
import type { TenantRecord } from '@/lib/tenants';

/**
 * 429 in the token endpoint's JSON error shape (RFC 6749 §5.2). §5.2 defines no code for
 * "too many requests"; temporarily_unavailable is the registered code that means it (§4.1.2.1),
 * and the status code and Retry-After carry the rest. The same code as the address limit's 429.
 */
class ClientRateLimited extends errors.OIDCProviderError {
  constructor(retryAfter: number) {
    super(429, 'temporarily_unavailable');
    Object.assign(this, { error_description: `Too many requests. Retry after ${retryAfter} seconds.` });
  }
}

/** Charges the tenant's per-client limits for the request in progress, once its client has authenticated. */
export async function chargeAuthenticatedClient(tenant: TenantRecord, clientId: string): Promise<void> {
  const ctx = Provider.ctx;
  const endpoint = ctx?.oidc?.route;
  if (!ctx || !isClientAuthenticatedEndpoint(endpoint)) return;
  const ip = String(ctx.req.headers[CLIENT_IP_HEADER] ?? ctx.req.socket.remoteAddress ?? '');
  const scope = { tenantId: tenant.id, tenantSlug: tenant.slug, endpoint, ip, userAgent: ctx.get('user-agent') || null };
  const outcome = await limitAuthenticatedClient(scope, clientId, ctx.res);
  if (outcome.rejected) throw new ClientRateLimited(outcome.retryAfter);
}

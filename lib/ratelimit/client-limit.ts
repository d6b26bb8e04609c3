import type { ServerResponse } from 'node:http';
import { getConfig } from '@/lib/config';
import { enforcePolicies, type LimitScope } from './enforce';
import { policiesFor } from './policies';
import { setRateLimitHeaders } from './respond';

/**
 * The endpoints where clients authenticate, named as the rate-limit policies and oidc-provider's
 * routes both name them: their per-client limits are charged here, after authentication, and
 * never by the guard from an unauthenticated client_id.
 */
export const CLIENT_AUTHENTICATED_ENDPOINTS = ['token', 'introspection', 'revocation'] as const;
export type ClientAuthenticatedEndpoint = (typeof CLIENT_AUTHENTICATED_ENDPOINTS)[number];

export const isClientAuthenticatedEndpoint = (name: string | undefined): name is ClientAuthenticatedEndpoint =>
  (CLIENT_AUTHENTICATED_ENDPOINTS as readonly string[]).includes(name ?? '');

/** What a client-keyed check decided: go on, or refuse with Retry-After seconds. */
export type ClientLimitOutcome = { rejected: false } | { rejected: true; retryAfter: number };

const remainingInHeader = (res: ServerResponse): number | null => {
  const match = /;r=(\d+)/.exec(String(res.getHeader('RateLimit') ?? ''));
  return match ? Number(match[1]) : null;
};

/**
 * Per-client limits on the endpoints where clients authenticate (token, introspection,
 * revocation), charged only after the client has proven its credentials: a client_id is public,
 * so counting unauthenticated requests against it would let anyone exhaust a client's budget and
 * lock the real client out. Requests that fail authentication still count against their address
 * (lib/ratelimit/guard.ts). The RateLimit headers the address limit set are replaced when this
 * client's counter has less left.
 */
export async function limitAuthenticatedClient(scope: LimitScope, clientId: string, res: ServerResponse): Promise<ClientLimitOutcome> {
  if (!getConfig().rateLimit.enabled) return { rejected: false };
  const policies = (await policiesFor(scope.tenantId, scope.endpoint)).filter((policy) => policy.keyType === 'client');
  if (policies.length === 0) return { rejected: false };
  const decision = await enforcePolicies(policies, () => clientId, scope);
  if (!decision) return { rejected: false };
  const shown = remainingInHeader(res);
  if (decision.rejected || shown === null || decision.remaining < shown) setRateLimitHeaders(res, decision.policy, decision.remaining, decision.resetSeconds);
  if (!decision.rejected) return { rejected: false };
  res.setHeader('Retry-After', String(decision.resetSeconds));
  return { rejected: true, retryAfter: decision.resetSeconds };
}

import { emitEvent } from '@/lib/audit';
import type { EndpointClass } from '@/lib/server/guards';
import type { Policy } from './policies';
import { rateLimitRejections } from './metrics';
import { consumePoint } from './store';

/** Where a request is limited: for the counter keys and the audit event of a refusal. */
export interface LimitScope {
  tenantId: string | null;
  tenantSlug: string | null;
  endpoint: EndpointClass;
  ip: string;
  userAgent: string | null;
}

/** The policy that decides the response: the one that refused, else the one with least left (for the headers). */
export interface Decision {
  policy: Policy;
  remaining: number;
  resetSeconds: number;
  rejected: boolean;
}

/**
 * Takes one point from each policy's counter for its subject (an address, a client id; policies
 * without a subject are skipped) and stops at the first `reject` policy that is exhausted. A
 * refusal is a security event and a metric.
 */
export async function enforcePolicies(policies: Policy[], subjectOf: (policy: Policy) => string | null, scope: LimitScope): Promise<Decision | null> {
  let tightest: Decision | null = null;
  for (const policy of policies) {
    const subject = subjectOf(policy);
    if (!subject) continue;
    const result = await consumePoint(policy.limit, policy.windowSeconds, `${scope.tenantSlug ?? '-'}:${policy.id}:${subject}`);
    if (!result.allowed && policy.action === 'reject') {
      rateLimitRejections().inc({ endpoint: scope.endpoint, key_type: policy.keyType });
      emitEvent({
        type: 'ratelimit.exceeded',
        outcome: 'denied',
        tenantId: scope.tenantId,
        tenantSlug: scope.tenantSlug,
        actor: { type: policy.keyType === 'client' ? 'client' : 'user', id: policy.keyType === 'client' ? subject : null },
        ip: scope.ip,
        userAgent: scope.userAgent,
        reason: `${policy.limit} per ${policy.windowSeconds}s by ${policy.keyType}`,
        details: { endpoint: scope.endpoint, policy: policy.id },
      });
      return { policy, remaining: 0, resetSeconds: result.resetSeconds, rejected: true };
    }
    if (!tightest || result.remaining < tightest.remaining) tightest = { policy, remaining: result.remaining, resetSeconds: result.resetSeconds, rejected: false };
  }
  return tightest;
}

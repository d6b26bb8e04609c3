import { emitEvent } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { signInNameWhere } from '@/lib/users/authenticate-user';
import { usernameKey } from '@/lib/users/schemas';
import { addressKey } from '@/lib/http/client-ip';
import { lockoutCounter } from './metrics';
import { policiesFor } from './policies';
import { consumePoint, limiterFor } from './store';

/** Failed sign-ins from one address across any accounts before it is treated as stuffing. */
export const STUFFING_FAILURES = 30;
export const STUFFING_WINDOW_SECONDS = 600;

type Tenant = { id: string; slug: string };

export type LoginGate = { allowed: true; stepUp: boolean } | { allowed: false; retryAfter: number; reason: 'credential_stuffing' | 'account_rate_limit' };

/**
 * Checked before the password hash is even looked at: an address caught stuffing credentials
 * is refused, and the per-account policies (key user / ip_user) take their point.
 */
export async function checkLoginAllowed(tenant: Tenant, login: string, ip: string): Promise<LoginGate> {
  if (!getConfig().rateLimit.enabled) return { allowed: true, stepUp: false };
  const stuffing = await (await limiterFor(STUFFING_FAILURES, STUFFING_WINDOW_SECONDS)).get(`stuffing:${tenant.id}:${addressKey(ip)}`);
  if (stuffing && stuffing.consumedPoints >= STUFFING_FAILURES) {
    return { allowed: false, retryAfter: Math.ceil(stuffing.msBeforeNext / 1000), reason: 'credential_stuffing' };
  }
  let stepUp = false;
  for (const policy of await policiesFor(tenant.id, 'login')) {
    if (policy.keyType !== 'user' && policy.keyType !== 'ip_user') continue;
    const subject = policy.keyType === 'user' ? usernameKey(login) : `${addressKey(ip)}|${usernameKey(login)}`;
    const result = await consumePoint(policy.limit, policy.windowSeconds, `${tenant.slug}:${policy.id}:${subject}`);
    if (!result.allowed) {
      if (policy.action === 'step_up') stepUp = true;
      // Anyone can spend an account's per-user budget by typing its name: refusing there would
      // let an attacker lock the owner out. An address the account has signed in from before
      // still gets through (the password check and its own lockout still apply).
      else if (policy.keyType === 'ip_user' || !(await isKnownAddress(tenant.id, login, ip))) {
        return { allowed: false, retryAfter: result.resetSeconds, reason: 'account_rate_limit' };
      }
    }
  }
  return { allowed: true, stepUp };
}

/**
 * The per-account policies (key user / ip_user) of the second-factor forms (code, enrolment):
 * checked once the password has named the account, before the code is looked at. The account's
 * own lockout (lib/mfa) still applies; these are what a tenant adds on top.
 */
export async function checkSecondFactorAllowed(tenant: Tenant, userId: string, ip: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
  if (!getConfig().rateLimit.enabled) return { allowed: true };
  for (const policy of await policiesFor(tenant.id, 'mfa')) {
    if (policy.keyType !== 'user' && policy.keyType !== 'ip_user') continue;
    const subject = policy.keyType === 'user' ? userId : `${addressKey(ip)}|${userId}`;
    const result = await consumePoint(policy.limit, policy.windowSeconds, `${tenant.slug}:${policy.id}:${subject}`);
    if (!result.allowed) return { allowed: false, retryAfter: result.resetSeconds };
  }
  return { allowed: true };
}

/** Whether the account named `login` has signed in from `ip` before (its recent addresses). */
async function isKnownAddress(tenantId: string, login: string, ip: string): Promise<boolean> {
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({ where: signInNameWhere(tenantId, login), select: { knownLoginIps: true } });
  return Boolean(user?.knownLoginIps.includes(ip));
}

/** Counts a failed sign-in against the address; crossing the threshold is a security event. */
export async function recordLoginFailure(tenant: Tenant, ip: string) {
  const result = await consumePoint(STUFFING_FAILURES, STUFFING_WINDOW_SECONDS, `stuffing:${tenant.id}:${addressKey(ip)}`);
  // The failure that reaches the threshold is the moment of detection (later ones are refused
  // before they get here).
  if (result.allowed && result.remaining === 0) {
    lockoutCounter().inc({ tenant: tenant.slug, kind: 'credential_stuffing' });
    emitEvent({
      type: 'threat.credential_stuffing.detected',
      outcome: 'denied',
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      actor: { type: 'user' },
      ip,
      reason: `more than ${STUFFING_FAILURES} failed sign-ins in ${STUFFING_WINDOW_SECONDS / 60} minutes`,
    });
  }
}

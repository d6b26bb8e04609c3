import type { Prisma } from '@/lib/db';
import { emitEvent, recordEvent, type ActorType, type Outcome, type SecurityEvent } from '@/lib/audit';
import { getMetrics } from '@/lib/metrics';

export interface MfaEventInput {
  tenant: { id: string; slug?: string };
  userId: string;
  /** `user.mfa.<what>` — e.g. totp.enrolled, challenge.failed, locked, reset. */
  what: string;
  outcome: Outcome;
  actor?: { type: ActorType; id?: string | null };
  reason?: string;
  meta?: { ip?: string | null; userAgent?: string | null };
  details?: Record<string, unknown>;
}

function toEvent(input: MfaEventInput): SecurityEvent {
  return {
    type: `user.mfa.${input.what}`,
    outcome: input.outcome,
    tenantId: input.tenant.id,
    tenantSlug: input.tenant.slug,
    actor: input.actor ?? { type: 'user', id: input.userId },
    subject: input.userId,
    reason: input.reason,
    ip: input.meta?.ip,
    userAgent: input.meta?.userAgent,
    details: input.details,
  };
}

/** Every MFA step is a security event and a metric (iam_mfa_events_total). */
export async function recordMfaEvent(tx: Pick<Prisma.TransactionClient, 'auditEvent'>, input: MfaEventInput) {
  getMetrics().mfaEvents.inc({ tenant: input.tenant.slug ?? input.tenant.id, event: input.what, outcome: input.outcome });
  await recordEvent(tx, toEvent(input));
}

export function emitMfaEvent(input: MfaEventInput) {
  getMetrics().mfaEvents.inc({ tenant: input.tenant.slug ?? input.tenant.id, event: input.what, outcome: input.outcome });
  emitEvent(toEvent(input));
}

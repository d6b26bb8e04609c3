export type Outcome = 'success' | 'failure' | 'denied';
export type ActorType = 'user' | 'admin' | 'client' | 'system' | 'scim';

/** A security/audit event. Never put secrets, passwords, codes or tokens in it. */
export interface SecurityEvent {
  /** `<aggregate>.<sub>.<past-tense>`, failures as `*.failed` (e.g. `user.login.failed`). */
  type: string;
  outcome: Outcome;
  tenantId?: string | null;
  tenantSlug?: string | null;
  actor: { type: ActorType; id?: string | null };
  subject?: string | null;
  clientId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

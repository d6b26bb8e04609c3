export type Outcome = 'success' | 'failure' | 'denied';
export type ActorType = 'user' | 'admin' | 'client' | 'system' | 'scim';

/** A security/audit event. Never put secrets, passwords, codes or tokens in it. */
export interface SecurityEvent {
  /** `<aggregate>.<sub>.<past-tense>`, failures as `*.failed` (e.g. `user.login.failed`). */
  type: string;
  outcome: Outcome;
  tenantId?: string | null;
  tenantSlug?: string | null;
  actor: EventActor;
  subject?: string | null;
  clientId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Who acted. An administrator's actor (console, admin API) also carries where the request came
 * from, so the events that services record from it name the address and user agent without every
 * service taking the request's details as well; an event's own ip/userAgent win.
 */
export interface EventActor {
  type: ActorType;
  id?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

import { getConfig } from '@/lib/config';
import { currentSnapshot, type SourceInfo, type Snapshot } from './engine';
import { emailDomain, normaliseDomain } from './domain';
import { recordHit } from './hits';
import type { DomainAction, IpAction } from './schemas';

export type ThreatVerdict = 'block' | 'challenge' | 'log' | 'allow';

export interface IpEvaluation {
  verdict: ThreatVerdict;
  /** Deny sources that matched (empty when nothing matched or the allow list won). */
  sources: SourceInfo[];
  /** The allow-list entry that overrode them, if any. */
  allowedBy: SourceInfo | null;
}

const SEVERITY: Record<IpAction, number> = { log: 0, challenge: 1, block: 2 };
const NO_MATCH: IpEvaluation = { verdict: 'allow', sources: [], allowedBy: null };

/** Sources of a lookup that apply to this tenant and have not expired; allow entries win. */
function applicable(snapshot: Snapshot, ids: readonly number[], tenantId: string | null) {
  const now = Date.now();
  const deny: SourceInfo[] = [];
  for (const id of ids) {
    const source = snapshot.sources[id];
    if (!source) continue;
    if (source.tenantId !== null && source.tenantId !== tenantId) continue;
    if (source.expiresAt !== null && source.expiresAt <= now) continue;
    if (source.list === 'allow') return { allow: source, deny: [] };
    deny.push(source);
  }
  return { allow: null, deny };
}

/**
 * What to do with a request from `ip` for a tenant (null outside tenants): the allow list wins;
 * otherwise the tenant's override if it has one, else the harshest action among the matching
 * sources (a feed's own action, or the global default).
 */
export function evaluateIp(ip: string, tenantId: string | null, snapshot = currentSnapshot()): IpEvaluation {
  const ids = snapshot.matcher.lookupIp(ip);
  if (!ids) return NO_MATCH;
  const { allow, deny } = applicable(snapshot, ids, tenantId);
  if (allow) return { verdict: 'allow', sources: [], allowedBy: allow };
  if (deny.length === 0) return NO_MATCH;
  const override = tenantId ? snapshot.tenantPolicies.get(tenantId)?.ip : null;
  let action: IpAction = 'log';
  if (override) action = override;
  else for (const s of deny) if (SEVERITY[s.action ?? snapshot.globalPolicy.ip] > SEVERITY[action]) action = s.action ?? snapshot.globalPolicy.ip;
  return { verdict: action, sources: deny, allowedBy: null };
}

/**
 * For the sign-in interaction: 'challenge' means "require MFA for this sign-in", 'block' that
 * the guard already refused the request (so it is rarely seen here), 'log' and 'allow' let the
 * sign-in proceed. Synchronous, no I/O: reads the in-memory snapshot; tenant slugs are resolved
 * from the snapshot. With THREAT_INTEL_ENABLED=false always 'allow'.
 */
export function threatVerdictFor(ip: string, tenantSlug: string | null): ThreatVerdict {
  if (!getConfig().features.threatIntel) return 'allow';
  const snapshot = currentSnapshot();
  const tenantId = tenantSlug ? (snapshot.tenantIds.get(tenantSlug) ?? null) : null;
  return evaluateIp(ip, tenantId, snapshot).verdict;
}

export interface DomainCheck {
  verdict: 'block' | 'log' | 'allow';
  domain: string | null;
  sources: string[];
}

function evaluateDomain(domain: string, tenantId: string | null, snapshot = currentSnapshot()): { verdict: DomainCheck['verdict']; sources: SourceInfo[] } {
  const ids = snapshot.matcher.lookupDomain(domain);
  if (!ids) return { verdict: 'allow', sources: [] };
  const { allow, deny } = applicable(snapshot, ids, tenantId);
  if (allow || deny.length === 0) return { verdict: 'allow', sources: [] };
  const override = tenantId ? snapshot.tenantPolicies.get(tenantId)?.domain : null;
  let action: DomainAction = override ?? snapshot.globalPolicy.domain;
  // A feed marked "log" only flags; any feed without that keeps the policy's action.
  if (!override && deny.every((s) => s.action === 'log')) action = 'log';
  return { verdict: action, sources: deny };
}

export interface DomainContext {
  /** Where the domain appeared, for the event: 'user.email', 'scim.user.email', 'client.redirect_uri' … */
  field?: string;
  ip?: string | null;
  userAgent?: string | null;
  actor?: { type: 'user' | 'admin' | 'client' | 'system' | 'scim'; id?: string | null };
}

/**
 * Checks a domain (and its parents) against domain IOCs for a tenant. A match is a security
 * event (`threat.domain.blocked` or `threat.domain.flagged`) and a metric; the caller refuses
 * the value when the verdict is 'block'. Not a domain (or the feature off): 'allow'.
 */
export function checkDomain(value: string, tenantId: string | null, context: DomainContext = {}): DomainCheck {
  if (!getConfig().features.threatIntel) return { verdict: 'allow', domain: null, sources: [] };
  const domain = normaliseDomain(value);
  if (!domain) return { verdict: 'allow', domain: null, sources: [] };
  const result = evaluateDomain(domain, tenantId);
  if (result.verdict !== 'allow') {
    recordHit({
      kind: 'domain',
      value: domain,
      tenantId,
      action: result.verdict,
      sources: result.sources,
      ip: context.ip ?? null,
      userAgent: context.userAgent ?? null,
      actor: context.actor,
      details: { field: context.field },
    });
  }
  return { verdict: result.verdict, domain, sources: result.sources.map((s) => s.name) };
}

/** checkDomain on the part after the "@" of an e-mail address. */
export function checkEmailDomain(email: string, tenantId: string | null, context: DomainContext = {}): DomainCheck {
  const domain = emailDomain(email);
  if (!domain) return { verdict: 'allow', domain: null, sources: [] };
  return checkDomain(domain, tenantId, { field: 'email', ...context });
}

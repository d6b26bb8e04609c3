import { auditFilterSchema, type AuditFilter } from '@/lib/audit';

/** The audit filter as it appears in the URL (page and export share it). */
export interface AuditQuery {
  tenant?: string;
  actor?: string;
  type?: string;
  outcome?: string;
  from?: string;
  to?: string;
  before?: string;
}

const KEYS: (keyof AuditQuery)[] = ['tenant', 'actor', 'type', 'outcome', 'from', 'to', 'before'];

export function readAuditQuery(source: URLSearchParams | Record<string, string | string[] | undefined>): AuditQuery {
  const get = (k: string) => {
    const v = source instanceof URLSearchParams ? source.get(k) : source[k];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' && s.trim() ? s.trim().slice(0, 200) : undefined;
  };
  return Object.fromEntries(KEYS.map((k) => [k, get(k)]).filter(([, v]) => v !== undefined));
}

// <input type="datetime-local"> has no zone: the console shows and reads times in UTC.
const asUtc = (value?: string) => (value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value);

/** The service filter, or the validation problem to show. */
export function toAuditFilter(query: AuditQuery, limit = 50): { filter: AuditFilter; error?: undefined } | { filter?: undefined; error: string } {
  const parsed = auditFilterSchema.safeParse({
    tenantId: query.tenant,
    actor: query.actor,
    type: query.type,
    outcome: query.outcome,
    from: asUtc(query.from),
    to: asUtc(query.to),
    before: query.before,
    limit,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `Invalid filter ${issue.path.join('.') || ''}: ${issue.message}` };
  }
  return { filter: parsed.data };
}

export function auditQueryString(query: AuditQuery, extra: Partial<AuditQuery> & { format?: string } = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) params.set(k, v);
  return params.toString();
}

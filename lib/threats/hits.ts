import { emitEvent, type ActorType } from '@/lib/audit';
import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';
import type { SourceInfo } from './engine';
import { threatMetrics } from './metrics';

/**
 * Hits: every one is counted (metric + hourly counters) and becomes a security event. A listed
 * address that floods us must not turn into an audit-table flood, so events are coalesced per
 * (event type, value, tenant): the first hit is written at once, later ones within a minute are
 * counted and carried by the next event (`details.coalesced`). The hourly counters behind the
 * console's charts are exact.
 */
export interface Hit {
  kind: 'ip' | 'domain';
  value: string;
  tenantId: string | null;
  tenantSlug?: string | null;
  action: 'block' | 'challenge' | 'log';
  sources: SourceInfo[];
  ip?: string | null;
  userAgent?: string | null;
  actor?: { type: ActorType; id?: string | null };
  details?: Record<string, unknown>;
}

const COALESCE_MS = 60_000;
const MAX_KEYS = 50_000;
export const NIL_TENANT = '00000000-0000-0000-0000-000000000000';

interface HitState {
  /** `${bucket}|${source}|${action}` → hits */
  perSource: Map<string, number>;
  /** `${bucket}|${ip}|${action}|${tenant}` → [hits, last source] */
  perIp: Map<string, { hits: number; source: string }>;
  /** event key → last written (ms) and hits coalesced since */
  lastEvent: Map<string, { at: number; coalesced: number }>;
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
}

const KEY = Symbol.for('iam.threats.hits');
type WithHits = typeof globalThis & { [KEY]?: HitState };

function state(): HitState {
  const g = globalThis as WithHits;
  g[KEY] ??= { perSource: new Map(), perIp: new Map(), lastEvent: new Map() };
  return g[KEY];
}

const hourOf = (ms: number) => new Date(ms - (ms % 3_600_000)).toISOString();
/** The counter key of a source: a feed's id (names can change), or manual. */
const sourceKey = (s: SourceInfo) => (s.kind === 'feed' ? `feed:${s.feedId}` : 'manual');

export function recordHit(hit: Hit) {
  const s = state();
  const now = Date.now();
  const bucket = hourOf(now);
  const metrics = threatMetrics();
  for (const source of hit.sources) {
    metrics.hits.inc({ source: source.kind === 'feed' ? source.name : 'manual', action: hit.action });
    const k = `${bucket}|${sourceKey(source)}|${hit.action}`;
    s.perSource.set(k, (s.perSource.get(k) ?? 0) + 1);
  }
  if (hit.kind === 'ip') {
    const k = `${bucket}|${hit.value}|${hit.action}|${hit.tenantId ?? NIL_TENANT}`;
    const entry = s.perIp.get(k);
    if (entry) entry.hits++;
    else s.perIp.set(k, { hits: 1, source: hit.sources[0] ? sourceKey(hit.sources[0]) : 'manual' });
  }

  const type = `threat.${hit.kind}.${hit.action === 'block' ? 'blocked' : 'flagged'}`;
  const eventKey = `${type}|${hit.value}|${hit.tenantId ?? ''}`;
  const last = s.lastEvent.get(eventKey);
  if (last && now - last.at < COALESCE_MS) last.coalesced++;
  else {
    if (s.lastEvent.size >= MAX_KEYS) pruneEvents(s, now);
    s.lastEvent.set(eventKey, { at: now, coalesced: 0 });
    emitEvent({
      type,
      outcome: hit.action === 'block' ? 'denied' : 'success',
      tenantId: hit.tenantId,
      tenantSlug: hit.tenantSlug ?? null,
      actor: hit.actor ?? { type: 'system', id: 'threat-intel' },
      ip: hit.ip ?? (hit.kind === 'ip' ? hit.value : null),
      userAgent: hit.userAgent ?? null,
      reason: `listed by ${hit.sources.map((x) => x.name).join(', ')}`,
      details: {
        [hit.kind === 'ip' ? 'address' : 'domain']: hit.value,
        action: hit.action,
        sources: hit.sources.map((x) => x.name),
        ...(last?.coalesced ? { coalesced: last.coalesced } : {}),
        ...hit.details,
      },
    });
  }
  if (s.perIp.size >= MAX_KEYS) void flushHits();
  else s.timer ??= setTimeout(() => void flushHits(), 10_000).unref();
}

function pruneEvents(s: HitState, now: number) {
  for (const [k, v] of s.lastEvent) if (now - v.at >= COALESCE_MS) s.lastEvent.delete(k);
  if (s.lastEvent.size >= MAX_KEYS) s.lastEvent.clear();
}

/** A hit the allow list overrode: a metric only (it is the allow list doing its job). */
export function recordAllowed() {
  threatMetrics().hits.inc({ source: 'allow', action: 'allow' });
}

/** Adds the counted hits to the hourly tables (one statement each). Safe to call concurrently. */
export async function flushHits(): Promise<void> {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = undefined;
  await s.flushing;
  if (s.perSource.size === 0 && s.perIp.size === 0) return;
  const perSource = s.perSource;
  const perIp = s.perIp;
  s.perSource = new Map();
  s.perIp = new Map();
  s.flushing = (async () => {
    try {
      const prisma = await getPrisma();
      if (perSource.size) {
        const rows = [...perSource].map(([k, hits]) => {
          const [bucket, source, action] = k.split('|');
          return { bucket, source, action, hits };
        });
        await prisma.$executeRaw`
          INSERT INTO threat_hit_counts (bucket, source, action, hits)
          SELECT r.bucket::timestamptz, r.source, r.action, r.hits::bigint
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(bucket text, source text, action text, hits bigint)
          ON CONFLICT (bucket, source, action) DO UPDATE SET hits = threat_hit_counts.hits + EXCLUDED.hits`;
      }
      if (perIp.size) {
        const rows = [...perIp].map(([k, v]) => {
          const [bucket, ip, action, tenant] = k.split('|');
          return { bucket, ip, action, tenant, hits: v.hits, source: v.source };
        });
        await prisma.$executeRaw`
          INSERT INTO threat_hit_ips (bucket, ip, action, tenant_id, hits, last_source)
          SELECT r.bucket::timestamptz, r.ip, r.action, r.tenant::uuid, r.hits::bigint, r.source
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(bucket text, ip text, action text, tenant text, hits bigint, source text)
          ON CONFLICT (bucket, ip, action, tenant_id) DO UPDATE SET hits = threat_hit_ips.hits + EXCLUDED.hits, last_source = EXCLUDED.last_source`;
      }
    } catch (error) {
      getLogger().warn({ err: error }, 'threat hit counters could not be written');
    }
  })();
  await s.flushing;
}

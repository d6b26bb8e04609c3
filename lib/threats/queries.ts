import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { currentSnapshot } from './engine';
import { NIL_TENANT } from './hits';
import type { FormatOptions, IpAction } from './schemas';

/** Read models for the console (DTOs only: no Prisma objects reach components). */
export interface FeedDto {
  id: string;
  name: string;
  description: string;
  url: string;
  format: string;
  kind: string;
  options: FormatOptions;
  builtin: boolean;
  enabled: boolean;
  intervalMinutes: number;
  action: IpAction | null;
  fetchState: string;
  fetchBytes: number;
  nextFetchAt: string | null;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  entryCount: number;
  badLines: number;
  ignoredLines: number;
  badSamples: string[];
}

type FeedRow = Awaited<ReturnType<Awaited<ReturnType<typeof getPrisma>>['threatFeed']['findMany']>>[number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDto(f: FeedRow): FeedDto {
  return {
    id: f.id,
    name: f.name,
    description: f.description,
    url: f.url,
    format: f.format,
    kind: f.kind,
    options: (f.options ?? {}) as FormatOptions,
    builtin: f.builtinKey !== null,
    enabled: f.enabled,
    intervalMinutes: f.intervalMinutes,
    action: (f.action as IpAction | null) ?? null,
    fetchState: f.leaseUntil && f.leaseUntil < new Date() && f.fetchState !== 'queued' ? 'idle' : f.fetchState,
    fetchBytes: Number(f.fetchBytes),
    nextFetchAt: iso(f.nextFetchAt),
    lastFetchAt: iso(f.lastFetchAt),
    lastSuccessAt: iso(f.lastSuccessAt),
    lastStatus: f.lastStatus,
    lastError: f.lastError,
    entryCount: f.entryCount,
    badLines: f.badLines,
    ignoredLines: f.ignoredLines,
    badSamples: Array.isArray(f.badSamples) ? (f.badSamples as string[]) : [],
  };
}

export async function listFeeds(): Promise<FeedDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.threatFeed.findMany();
  // Enabled first, then by name regardless of case.
  return rows.sort((a, b) => Number(b.enabled) - Number(a.enabled) || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })).map(toDto);
}

export async function getFeed(id: string): Promise<FeedDto | null> {
  const prisma = await getPrisma();
  const row = await prisma.threatFeed.findUnique({ where: { id } });
  return row ? toDto(row) : null;
}

export interface FetchHistoryPoint {
  startedAt: string;
  outcome: string;
  httpStatus: number | null;
  entries: number;
  badLines: number;
  bytes: number;
  durationMs: number;
  error: string | null;
}

export async function feedFetchHistory(feedId: string, limit = 60): Promise<FetchHistoryPoint[]> {
  const prisma = await getPrisma();
  const rows = await prisma.threatFeedFetch.findMany({ where: { feedId }, orderBy: { startedAt: 'desc' }, take: limit });
  return rows.reverse().map((r) => ({ startedAt: r.startedAt.toISOString(), outcome: r.outcome, httpStatus: r.httpStatus, entries: r.entries, badLines: r.badLines, bytes: r.bytes, durationMs: r.durationMs, error: r.error }));
}

export interface ManualIocDto {
  id: string;
  tenantId: string | null;
  list: 'allow' | 'deny';
  kind: string;
  value: string;
  reason: string;
  expiresAt: string | null;
  expired: boolean;
  createdBy: string;
  createdAt: string;
}

/** Manual entries: 'all', or only global entries plus those of the given tenants. */
export async function listManualIocs(scope: 'all' | string[]): Promise<ManualIocDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.threatManualIoc.findMany({
    where: scope === 'all' ? {} : { OR: [{ tenantId: null }, { tenantId: { in: scope } }] },
    orderBy: { createdAt: 'desc' },
    take: 1000,
  });
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenantId,
    list: r.list as 'allow' | 'deny',
    kind: r.kind,
    value: r.value,
    reason: r.reason,
    expiresAt: iso(r.expiresAt),
    expired: r.expiresAt !== null && r.expiresAt.getTime() <= now,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
  }));
}

export interface PolicyDto {
  scope: string;
  ipAction: string | null;
  domainAction: string | null;
  updatedBy: string | null;
  updatedAt: string;
}

export async function listPolicies(): Promise<PolicyDto[]> {
  const prisma = await getPrisma();
  const rows = await prisma.threatPolicy.findMany({ orderBy: { scope: 'asc' } });
  return rows.map((r) => ({ scope: r.scope, ipAction: r.ipAction, domainAction: r.domainAction, updatedBy: r.updatedBy, updatedAt: r.updatedAt.toISOString() }));
}

export interface TopIp {
  ip: string;
  hits: number;
  action: string;
  tenantId: string | null;
  lastSource: string | null;
}

/** The most-hit addresses over the last `hours`, within the caller's tenant scope. */
export async function topBlockedIps(scope: 'all' | string[], hours = 24, limit = 20): Promise<TopIp[]> {
  const prisma = await getPrisma();
  const since = new Date(Date.now() - hours * 3_600_000);
  const tenants = scope === 'all' ? null : scope;
  const rows = await prisma.$queryRaw<{ ip: string; action: string; tenant_id: string; hits: bigint; last_source: string | null }[]>`
    SELECT ip, action, tenant_id::text AS tenant_id, sum(hits)::bigint AS hits, max(last_source) AS last_source
    FROM threat_hit_ips
    WHERE bucket >= date_trunc('hour', ${since}::timestamptz)
      AND (${tenants === null} OR tenant_id::text = ANY(${tenants ?? []}::text[]))
    GROUP BY ip, action, tenant_id
    ORDER BY hits DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ ip: r.ip, action: r.action, tenantId: r.tenant_id === NIL_TENANT ? null : r.tenant_id, hits: Number(r.hits), lastSource: r.last_source }));
}

export interface HitSeries {
  buckets: string[];
  /** source label → hits per bucket */
  series: { key: string; label: string; values: number[] }[];
}

/** Hits per source per hour (last 24 h) or per day (last 30 days). */
export async function hitsPerSource(range: '24h' | '30d' = '24h'): Promise<HitSeries> {
  const prisma = await getPrisma();
  const unit = range === '24h' ? 'hour' : 'day';
  const count = range === '24h' ? 24 : 30;
  const step = unit === 'hour' ? 3_600_000 : 86_400_000;
  const end = new Date();
  if (unit === 'hour') end.setUTCMinutes(0, 0, 0);
  else end.setUTCHours(0, 0, 0, 0);
  const start = new Date(end.getTime() - (count - 1) * step);
  const rows = await prisma.$queryRaw<{ b: Date; source: string; hits: bigint }[]>`
    SELECT date_trunc(${unit}, bucket) AS b, source, sum(hits)::bigint AS hits
    FROM threat_hit_counts WHERE bucket >= ${start}::timestamptz
    GROUP BY 1, 2`;
  const feeds = await prisma.threatFeed.findMany({ select: { id: true, name: true } });
  const names = new Map(feeds.map((f) => [`feed:${f.id}`, f.name]));
  const buckets: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = new Date(start.getTime() + i * step);
    buckets.push(unit === 'hour' ? t.toISOString().slice(11, 16) : t.toISOString().slice(5, 10));
  }
  const series = new Map<string, number[]>();
  for (const row of rows) {
    const index = Math.round((new Date(row.b).getTime() - start.getTime()) / step);
    if (index < 0 || index >= count) continue;
    const values = series.get(row.source) ?? new Array(count).fill(0);
    values[index] += Number(row.hits);
    series.set(row.source, values);
  }
  return {
    buckets,
    series: [...series].map(([key, values]) => ({ key, label: key === 'manual' ? 'Manual deny list' : (names.get(key) ?? 'Deleted feed'), values })).sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0)),
  };
}

export interface MatcherStatus {
  enabled: boolean;
  loaded: boolean;
  builtAt: string | null;
  entries: { ipv4: number; ipv6: number; domain: number };
  segments: { ipv4: number; ipv6: number };
  bytes: number;
  buildMs: number;
  globalPolicy: { ip: string; domain: string };
}

/** This instance's matcher (each instance has its own; they converge within a poll interval). */
export function matcherStatus(): MatcherStatus {
  const s = currentSnapshot();
  return {
    enabled: getConfig().features.threatIntel,
    loaded: s.loaded,
    builtAt: s.builtAt ? new Date(s.builtAt).toISOString() : null,
    entries: s.matcher.stats.entries,
    segments: s.matcher.stats.segments,
    bytes: s.matcher.stats.bytes,
    buildMs: Math.round(s.matcher.stats.buildMs),
    globalPolicy: s.globalPolicy,
  };
}

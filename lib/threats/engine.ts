import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';
import { decodeEntries, type LoadedEntries } from './entries';
import { IocMatcher, MatcherBuilder } from './matcher';
import { parseIpRange } from './ip';
import { normaliseDomain } from './domain';
import { threatMetrics } from './metrics';
import type { DomainAction, IpAction } from './schemas';

/**
 * The threat engine's state: the current snapshot (matcher + what its source ids mean + policy),
 * swapped by reference when a rebuild finishes. Requests read `snapshot` and never wait for a
 * build. Kept on globalThis: the custom server (guard, scheduler) and Next's bundled code
 * (console actions) are separate module graphs in one process and must share one engine.
 */
export interface SourceInfo {
  kind: 'feed' | 'manual';
  list: 'allow' | 'deny';
  /** null: applies everywhere; otherwise only to this tenant's requests. */
  tenantId: string | null;
  name: string;
  feedId?: string;
  manualId?: string;
  /** A feed's own action (null: the policy's). */
  action: IpAction | null;
  /** Epoch ms after which a manual entry no longer counts (checked at lookup time). */
  expiresAt: number | null;
}

export interface Policy {
  ip: IpAction;
  domain: DomainAction;
}

export interface Snapshot {
  matcher: IocMatcher;
  sources: SourceInfo[];
  globalPolicy: Policy;
  tenantPolicies: Map<string, { ip: IpAction | null; domain: DomainAction | null }>;
  /** tenant slug → id, for requests that name a tenant in their path. */
  tenantIds: Map<string, string>;
  generation: bigint;
  builtAt: number;
  loaded: boolean;
}

interface CachedFeed {
  sha256: string;
  entries: LoadedEntries;
}

interface EngineState {
  snapshot: Snapshot;
  feedCache: Map<string, CachedFeed>;
  building: Promise<void> | null;
  again: boolean;
}

const KEY = Symbol.for('iam.threats.engine');
type WithEngine = typeof globalThis & { [KEY]?: EngineState };

export function emptySnapshot(): Snapshot {
  return {
    matcher: IocMatcher.empty(),
    sources: [],
    globalPolicy: { ip: 'block', domain: 'block' },
    tenantPolicies: new Map(),
    tenantIds: new Map(),
    generation: -1n,
    builtAt: 0,
    loaded: false,
  };
}

export function engineState(): EngineState {
  const g = globalThis as WithEngine;
  g[KEY] ??= { snapshot: emptySnapshot(), feedCache: new Map(), building: null, again: false };
  return g[KEY];
}

export const currentSnapshot = () => engineState().snapshot;

/** Replaces the snapshot (tests and the benchmark build their own). */
export function setSnapshot(snapshot: Snapshot) {
  engineState().snapshot = snapshot;
}

/**
 * Rebuilds the matcher from the database and swaps it in. Single-flight: a call during a build
 * schedules one more build after it (so the last change is never missed) and waits for it.
 */
export function rebuildMatcher(): Promise<void> {
  const state = engineState();
  if (state.building) {
    state.again = true;
    return state.building;
  }
  state.building = (async () => {
    try {
      do {
        state.again = false;
        await buildOnce(state);
      } while (state.again);
    } finally {
      state.building = null;
    }
  })();
  return state.building;
}

async function buildOnce(state: EngineState) {
  const prisma = await getPrisma();
  const started = performance.now();
  const [generationRow] = await prisma.$queryRaw<{ generation: bigint }[]>`SELECT generation FROM threat_state WHERE id = 1`;
  const feeds = await prisma.threatFeed.findMany({
    where: { enabled: true },
    select: { id: true, name: true, action: true, data: { select: { sha256: true } } },
    orderBy: { name: 'asc' },
  });
  const now = new Date();
  const [manual, policies, tenants] = await Promise.all([
    prisma.threatManualIoc.findMany({ where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } }),
    prisma.threatPolicy.findMany(),
    prisma.tenant.findMany({ select: { id: true, slug: true } }),
  ]);

  const builder = new MatcherBuilder();
  const sources: SourceInfo[] = [];
  const liveFeeds = new Set<string>();
  for (const feed of feeds) {
    if (!feed.data) continue;
    liveFeeds.add(feed.id);
    let cached = state.feedCache.get(feed.id);
    if (!cached || cached.sha256 !== feed.data.sha256) {
      // base64 through SQL: far faster than a Bytes column through the PGlite adapter (entries.ts).
      const [row] = await prisma.$queryRaw<{ entries: string; sha256: string }[]>`
        SELECT encode(entries, 'base64') AS entries, sha256 FROM threat_feed_data WHERE feed_id = ${feed.id}::uuid`;
      if (!row) continue;
      cached = { sha256: row.sha256, entries: decodeEntries(Buffer.from(row.entries, 'base64')) };
      state.feedCache.set(feed.id, cached);
      // Yield between feeds: requests keep flowing on the old snapshot while this one builds.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const id = sources.length;
    sources.push({ kind: 'feed', list: 'deny', tenantId: null, name: feed.name, feedId: feed.id, action: (feed.action as IpAction | null) ?? null, expiresAt: null });
    const { v4Start, v4End, v6, domains } = cached.entries;
    for (let i = 0; i < v4Start.length; i++) builder.addV4(v4Start[i], v4End[i], id);
    for (const r of v6) builder.addV6(r.start, r.end, id);
    for (const d of domains) builder.addDomain(d, id);
  }
  for (const key of state.feedCache.keys()) if (!liveFeeds.has(key)) state.feedCache.delete(key);

  for (const entry of manual) {
    const id = sources.length;
    sources.push({
      kind: 'manual',
      list: entry.list === 'allow' ? 'allow' : 'deny',
      tenantId: entry.tenantId,
      name: entry.list === 'allow' ? 'allow' : 'manual',
      manualId: entry.id,
      action: null,
      expiresAt: entry.expiresAt ? entry.expiresAt.getTime() : null,
    });
    if (entry.kind === 'domain') {
      const domain = normaliseDomain(entry.value);
      if (domain) builder.addDomain(domain, id);
    } else {
      const range = parseIpRange(entry.value);
      if (range) builder.addRange(range, id);
    }
  }

  const matcher = await builder.buildAsync();
  const global = policies.find((p) => p.scope === 'global');
  const tenantPolicies = new Map<string, { ip: IpAction | null; domain: DomainAction | null }>();
  for (const p of policies) if (p.scope !== 'global') tenantPolicies.set(p.scope, { ip: (p.ipAction as IpAction | null) ?? null, domain: (p.domainAction as DomainAction | null) ?? null });

  state.snapshot = {
    matcher,
    sources,
    globalPolicy: { ip: (global?.ipAction as IpAction) ?? 'block', domain: (global?.domainAction as DomainAction) ?? 'block' },
    tenantPolicies,
    tenantIds: new Map(tenants.map((t) => [t.slug, t.id])),
    generation: generationRow?.generation ?? 0n,
    builtAt: Date.now(),
    loaded: true,
  };
  const metrics = threatMetrics();
  metrics.entries.set({ family: 'ipv4' }, matcher.stats.entries.ipv4);
  metrics.entries.set({ family: 'ipv6' }, matcher.stats.entries.ipv6);
  metrics.entries.set({ family: 'domain' }, matcher.stats.entries.domain);
  metrics.matcherBytes.set(matcher.stats.bytes);
  metrics.buildSeconds.set((performance.now() - started) / 1000);
  getLogger().debug({ stats: matcher.stats, sources: sources.length, ms: Math.round(performance.now() - started) }, 'threat matcher rebuilt');
}

/** Has another instance (or a console action) changed IOCs or policy since our snapshot? */
export async function rebuildIfStale(): Promise<boolean> {
  const prisma = await getPrisma();
  const [row] = await prisma.$queryRaw<{ generation: bigint }[]>`SELECT generation FROM threat_state WHERE id = 1`;
  if (row && row.generation === currentSnapshot().generation) return false;
  await rebuildMatcher();
  return true;
}

/** Inside the transaction of a change: every instance's poll sees the generation move. */
export async function bumpGeneration(tx: { $executeRaw: (query: TemplateStringsArray, ...values: unknown[]) => Promise<number> }) {
  await tx.$executeRaw`UPDATE threat_state SET generation = generation + 1 WHERE id = 1`;
}

import { recordEvent, type ActorType } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma, Prisma } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { BUILTIN_FEEDS } from './builtin-feeds';
import { normaliseDomain } from './domain';
import { bumpGeneration, rebuildMatcher } from './engine';
import { formatIpRange, parseIpRange } from './ip';
import { feedInputSchema, manualIocInputSchema, policyInputSchema, type FeedInput, type ManualIocInput, type PolicyInput } from './schemas';

/**
 * Administrative changes: each writes its audit event in the same transaction, bumps the
 * generation when the matcher's input changes (every instance rebuilds), and rebuilds this
 * instance's matcher at once.
 */
export interface ThreatActor {
  type: ActorType;
  id: string;
  /** Shown as the author of manual entries. */
  name?: string;
  ip?: string | null;
  userAgent?: string | null;
}

const KICK = Symbol.for('iam.threats.kick');
type WithKick = typeof globalThis & { [KICK]?: () => void };
/** The scheduler (started by the server) registers how to wake it for a "fetch now". */
export function setFetchKick(kick: (() => void) | undefined) {
  (globalThis as WithKick)[KICK] = kick;
}

const event = (actor: ThreatActor, type: string, fields: { tenantId?: string | null; subject?: string | null; reason?: string | null; details?: Record<string, unknown> }) => ({
  type,
  outcome: 'success' as const,
  actor: { type: actor.type, id: actor.id },
  ip: actor.ip ?? null,
  userAgent: actor.userAgent ?? null,
  ...fields,
});

function uniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Creates the built-in definitions that do not exist yet (disabled); never changes existing rows. */
export async function ensureBuiltinFeeds(): Promise<number> {
  const prisma = await getPrisma();
  const existing = new Set((await prisma.threatFeed.findMany({ where: { builtinKey: { not: null } }, select: { builtinKey: true } })).map((f) => f.builtinKey));
  const names = new Set((await prisma.threatFeed.findMany({ select: { name: true } })).map((f) => f.name));
  let created = 0;
  for (const feed of BUILTIN_FEEDS) {
    if (existing.has(feed.key)) continue;
    const name = names.has(feed.name) ? `${feed.name} (built-in)` : feed.name;
    try {
      await prisma.threatFeed.create({
        data: { name, description: feed.description, url: feed.url, format: feed.format, kind: feed.kind, options: feed.options as Prisma.InputJsonValue, builtinKey: feed.key, enabled: false, intervalMinutes: feed.intervalMinutes, action: feed.action },
      });
      created++;
    } catch (error) {
      // Another instance created it first.
      if (!uniqueViolation(error)) throw error;
    }
  }
  return created;
}

export async function createFeed(input: FeedInput, actor: ThreatActor) {
  const feed = feedInputSchema.parse(input);
  const prisma = await getPrisma();
  try {
    const created = await prisma.$transaction(async (tx) => {
      const row = await tx.threatFeed.create({
        data: { name: feed.name, description: feed.description, url: feed.url, format: feed.format, kind: feed.kind, options: feed.options as Prisma.InputJsonValue, enabled: feed.enabled, intervalMinutes: feed.intervalMinutes, action: feed.action, nextFetchAt: new Date() },
      });
      await recordEvent(tx, event(actor, 'threat.feed.created', { subject: row.id, details: { name: feed.name, url: feed.url, format: feed.format, kind: feed.kind, enabled: feed.enabled } }));
      return row;
    });
    if (feed.enabled) kickScheduler();
    return created;
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('conflict', 'a feed with this name already exists', { field: 'name' });
    throw error;
  }
}

export async function updateFeed(feedId: string, input: FeedInput, actor: ThreatActor) {
  const feed = feedInputSchema.parse(input);
  const prisma = await getPrisma();
  try {
    const updated = await prisma.$transaction(async (tx) => {
      const before = await tx.threatFeed.findUnique({ where: { id: feedId } });
      if (!before) throw new AppError('not_found', 'feed not found');
      const sourceChanged = before.url !== feed.url || before.format !== feed.format || before.kind !== feed.kind || JSON.stringify(before.options) !== JSON.stringify(feed.options);
      const row = await tx.threatFeed.update({
        where: { id: feedId },
        data: {
          name: feed.name,
          description: feed.description,
          url: feed.url,
          format: feed.format,
          kind: feed.kind,
          options: feed.options as Prisma.InputJsonValue,
          enabled: feed.enabled,
          intervalMinutes: feed.intervalMinutes,
          action: feed.action,
          // A new source is fetched afresh (no conditional request against the old one).
          ...(sourceChanged ? { etag: null, lastModified: null, nextFetchAt: new Date() } : {}),
        },
      });
      await recordEvent(tx, event(actor, 'threat.feed.updated', { subject: feedId, details: { name: feed.name, url: feed.url, format: feed.format, enabled: feed.enabled, action: feed.action, sourceChanged } }));
      await bumpGeneration(tx);
      return { row, sourceChanged };
    });
    await rebuildMatcher();
    if (updated.sourceChanged && feed.enabled) kickScheduler();
    return updated.row;
  } catch (error) {
    if (uniqueViolation(error)) throw new AppError('conflict', 'a feed with this name already exists', { field: 'name' });
    throw error;
  }
}

export async function setFeedEnabled(feedId: string, enabled: boolean, actor: ThreatActor) {
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const row = await tx.threatFeed.findUnique({ where: { id: feedId }, select: { name: true, lastSuccessAt: true } });
    if (!row) throw new AppError('not_found', 'feed not found');
    await tx.threatFeed.update({ where: { id: feedId }, data: { enabled, ...(enabled && !row.lastSuccessAt ? { nextFetchAt: new Date() } : {}) } });
    await recordEvent(tx, event(actor, enabled ? 'threat.feed.enabled' : 'threat.feed.disabled', { subject: feedId, details: { name: row.name } }));
    await bumpGeneration(tx);
  });
  await rebuildMatcher();
  if (enabled) kickScheduler();
}

export async function deleteFeed(feedId: string, actor: ThreatActor) {
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const row = await tx.threatFeed.findUnique({ where: { id: feedId }, select: { name: true, builtinKey: true } });
    if (!row) throw new AppError('not_found', 'feed not found');
    if (row.builtinKey) throw new AppError('invalid_input', 'built-in feeds cannot be deleted; disable it instead');
    await tx.threatFeed.delete({ where: { id: feedId } });
    await recordEvent(tx, event(actor, 'threat.feed.deleted', { subject: feedId, details: { name: row.name } }));
    await bumpGeneration(tx);
  });
  await rebuildMatcher();
}

/** "Fetch now": queues the feed (even a disabled one, to try it) and wakes the scheduler. */
export async function requestFeedFetch(feedId: string, actor: ThreatActor) {
  if (!getConfig().features.threatIntel) throw new AppError('disabled', 'threat intelligence is disabled (THREAT_INTEL_ENABLED=false)');
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ name: string; busy: boolean }[]>`
      SELECT name, (lease_until IS NOT NULL AND lease_until > now()) AS busy FROM threat_feeds WHERE id = ${feedId}::uuid FOR UPDATE`;
    if (rows.length === 0) throw new AppError('not_found', 'feed not found');
    if (rows[0].busy) throw new AppError('conflict', 'this feed is being fetched right now');
    await tx.$executeRaw`UPDATE threat_feeds SET fetch_state = 'queued', fetch_bytes = 0 WHERE id = ${feedId}::uuid`;
    await recordEvent(tx, event(actor, 'threat.feed.fetch.requested', { subject: feedId, details: { name: rows[0].name } }));
  });
  kickScheduler();
}

function kickScheduler() {
  (globalThis as WithKick)[KICK]?.();
}

/** Reads an IOC value: an IP/CIDR/range (canonical text) or a domain. */
export function classifyIocValue(value: string): { kind: 'ip' | 'domain'; value: string } | null {
  const range = parseIpRange(value.trim());
  if (range) return { kind: 'ip', value: formatIpRange(range) };
  const domain = normaliseDomain(value);
  return domain ? { kind: 'domain', value: domain } : null;
}

export async function addManualIoc(input: ManualIocInput, actor: ThreatActor) {
  const parsed = manualIocInputSchema.parse(input);
  const ioc = classifyIocValue(parsed.value);
  if (!ioc) throw new AppError('invalid_input', 'enter an IP address, a CIDR (10.0.0.0/8, 2001:db8::/32), a range (a-b) or a domain', { field: 'value' });
  if (parsed.expiresAt && parsed.expiresAt.getTime() <= Date.now()) throw new AppError('invalid_input', 'the expiry must be in the future', { field: 'expiresAt' });
  const prisma = await getPrisma();
  const row = await prisma.$transaction(async (tx) => {
    if (parsed.tenantId && !(await tx.tenant.findUnique({ where: { id: parsed.tenantId }, select: { id: true } }))) throw new AppError('not_found', 'tenant not found');
    const duplicate = await tx.threatManualIoc.findFirst({ where: { tenantId: parsed.tenantId, list: parsed.list, value: ioc.value } });
    if (duplicate) throw new AppError('conflict', `${ioc.value} is already on this ${parsed.list} list`, { field: 'value' });
    const created = await tx.threatManualIoc.create({
      data: { tenantId: parsed.tenantId, list: parsed.list, kind: ioc.kind, value: ioc.value, reason: parsed.reason, expiresAt: parsed.expiresAt, createdBy: actor.name ?? actor.id },
    });
    await recordEvent(tx, event(actor, `threat.${parsed.list}list.added`, { tenantId: parsed.tenantId, subject: created.id, reason: parsed.reason, details: { value: ioc.value, kind: ioc.kind, expiresAt: parsed.expiresAt?.toISOString() } }));
    await bumpGeneration(tx);
    return created;
  });
  await rebuildMatcher();
  return row;
}

/** Removes a manual entry; `tenantScope` limits which entries the caller may remove. */
export async function removeManualIoc(id: string, actor: ThreatActor) {
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    const row = await tx.threatManualIoc.findUnique({ where: { id } });
    if (!row) throw new AppError('not_found', 'entry not found');
    await tx.threatManualIoc.delete({ where: { id } });
    await recordEvent(tx, event(actor, `threat.${row.list}list.removed`, { tenantId: row.tenantId, subject: id, details: { value: row.value, kind: row.kind } }));
    await bumpGeneration(tx);
  });
  await rebuildMatcher();
}

export async function findManualIoc(id: string) {
  const prisma = await getPrisma();
  return prisma.threatManualIoc.findUnique({ where: { id } });
}

export async function setPolicy(input: PolicyInput, actor: ThreatActor) {
  const policy = policyInputSchema.parse(input);
  if (!policy.tenantId && (!policy.ipAction || !policy.domainAction)) throw new AppError('invalid_input', 'the global policy needs an action for addresses and for domains');
  const scope = policy.tenantId ?? 'global';
  const prisma = await getPrisma();
  await prisma.$transaction(async (tx) => {
    if (policy.tenantId && !(await tx.tenant.findUnique({ where: { id: policy.tenantId }, select: { id: true } }))) throw new AppError('not_found', 'tenant not found');
    if (policy.tenantId && !policy.ipAction && !policy.domainAction) await tx.threatPolicy.deleteMany({ where: { scope } });
    else {
      await tx.threatPolicy.upsert({
        where: { scope },
        create: { scope, ipAction: policy.ipAction, domainAction: policy.domainAction, updatedBy: actor.name ?? actor.id },
        update: { ipAction: policy.ipAction, domainAction: policy.domainAction, updatedBy: actor.name ?? actor.id, updatedAt: new Date() },
      });
    }
    await recordEvent(tx, event(actor, 'threat.policy.updated', { tenantId: policy.tenantId, details: { ipAction: policy.ipAction, domainAction: policy.domainAction } }));
    await bumpGeneration(tx);
  });
  await rebuildMatcher();
}

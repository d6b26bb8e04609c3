import crypto from 'node:crypto';
import { emitEvent } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';
import { downloadFeed, DownloadError, type DownloadOptions } from './download';
import { bumpGeneration, rebuildMatcher } from './engine';
import { encodeEntries } from './entries';
import { threatMetrics } from './metrics';
import { parseFeed } from './parsers';
import { formatOptionsSchema, type FeedFormat, type FeedKind } from './schemas';

/**
 * Feed scheduling across instances without a job queue: a due feed is claimed in a short
 * transaction (`SELECT … FOR UPDATE SKIP LOCKED`, so concurrent instances each take a different
 * feed or none), which sets a lease (token + expiry) and the next due time, then commits. The
 * download runs outside any transaction — a 50 MB download must not hold a row lock or a
 * connection (PGlite has one) — and every later write is fenced by the lease token, so an
 * instance whose lease expired cannot overwrite a newer result. A crashed fetcher's lease simply
 * runs out. (pg-boss would do the same with more moving parts; the state it needs — due time,
 * progress, last error — is what the console shows on the feed row anyway.)
 */
export const LEASE_SECONDS = 300;

export interface ClaimedFeed {
  id: string;
  name: string;
  url: string;
  format: FeedFormat;
  kind: FeedKind;
  options: unknown;
  etag: string | null;
  lastModified: string | null;
  leaseToken: string;
}

/** Claims one feed that is due (enabled and past next_fetch_at) or queued by hand; null if none. */
export async function claimDueFeed(now = new Date()): Promise<ClaimedFeed | null> {
  const prisma = await getPrisma();
  const token = crypto.randomUUID();
  return prisma.$transaction(async (tx) => {
    const due = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM threat_feeds
      WHERE (fetch_state = 'queued' OR (enabled AND (next_fetch_at IS NULL OR next_fetch_at <= ${now})))
        AND (lease_until IS NULL OR lease_until < ${now})
      ORDER BY (fetch_state = 'queued') DESC, next_fetch_at ASC NULLS FIRST
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return null;
    const [row] = await tx.$queryRaw<{ id: string; name: string; url: string; format: string; kind: string; options: unknown; etag: string | null; last_modified: string | null }[]>`
      UPDATE threat_feeds
      SET lease_token = ${token}::uuid,
          lease_until = ${now}::timestamptz + make_interval(secs => ${LEASE_SECONDS}),
          next_fetch_at = ${now}::timestamptz + make_interval(mins => interval_minutes),
          fetch_state = 'downloading', fetch_bytes = 0
      WHERE id = ${due[0].id}::uuid
      RETURNING id, name, url, format, kind, options, etag, last_modified`;
    return { id: row.id, name: row.name, url: row.url, format: row.format as FeedFormat, kind: row.kind as FeedKind, options: row.options, etag: row.etag, lastModified: row.last_modified, leaseToken: token };
  });
}

export interface FetchOutcome {
  outcome: 'ok' | 'not_modified' | 'error' | 'lost_lease';
  entries?: number;
  badLines?: number;
  error?: string;
}

async function setState(feedId: string, token: string, state: string, bytes?: number) {
  const prisma = await getPrisma();
  await prisma.$executeRaw`
    UPDATE threat_feeds SET fetch_state = ${state}, fetch_bytes = COALESCE(${bytes ?? null}::bigint, fetch_bytes)
    WHERE id = ${feedId}::uuid AND lease_token = ${token}::uuid`;
}

/**
 * Downloads, parses and stores a claimed feed. Success replaces its entries (and bumps the
 * generation so every instance rebuilds); a failed download or a document with no readable
 * entry keeps the previous good entries and records the error.
 */
export async function runClaimedFeed(feed: ClaimedFeed, download: DownloadOptions = {}): Promise<FetchOutcome> {
  const prisma = await getPrisma();
  const started = new Date();
  const metrics = threatMetrics();
  let lastProgress = 0;
  let httpStatus: number | null = null;
  let bytes = 0;
  const finish = async (outcome: FetchOutcome['outcome'], fields: { entries?: number; bad?: number; ignored?: number; samples?: string[]; error?: string; encoded?: ReturnType<typeof encodeEntries>; etag?: string | null; lastModified?: string | null }): Promise<FetchOutcome> => {
    const finished = new Date();
    const durationMs = finished.getTime() - started.getTime();
    const kept = await prisma.$transaction(async (tx) => {
      // Fence: only the holder of the lease writes the result.
      const owned = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM threat_feeds WHERE id = ${feed.id}::uuid AND lease_token = ${feed.leaseToken}::uuid FOR UPDATE`;
      if (owned.length === 0) return false;
      if (outcome === 'ok' && fields.encoded) {
        const { base64, sha256, count } = fields.encoded;
        await tx.$executeRaw`
          INSERT INTO threat_feed_data (feed_id, entries, entry_count, sha256, updated_at)
          VALUES (${feed.id}::uuid, decode(${base64}, 'base64'), ${count}, ${sha256}, ${finished})
          ON CONFLICT (feed_id) DO UPDATE SET entries = EXCLUDED.entries, entry_count = EXCLUDED.entry_count, sha256 = EXCLUDED.sha256, updated_at = EXCLUDED.updated_at`;
        await tx.threatFeed.update({
          where: { id: feed.id },
          data: {
            lastSuccessAt: finished,
            entryCount: count,
            badLines: fields.bad ?? 0,
            ignoredLines: fields.ignored ?? 0,
            badSamples: fields.samples ?? [],
            etag: fields.etag ?? null,
            lastModified: fields.lastModified ?? null,
          },
        });
        await bumpGeneration(tx);
      }
      await tx.threatFeed.update({
        where: { id: feed.id },
        data: {
          lastFetchAt: finished,
          lastStatus: outcome === 'not_modified' ? 'not_modified' : outcome,
          lastError: outcome === 'error' ? (fields.error ?? 'failed') : null,
          ...(outcome === 'error' && fields.bad !== undefined ? { badLines: fields.bad, badSamples: fields.samples ?? [] } : {}),
          ...(outcome === 'not_modified' ? { lastSuccessAt: finished } : {}),
          fetchState: 'idle',
          fetchBytes: bytes,
          leaseToken: null,
          leaseUntil: null,
        },
      });
      await tx.threatFeedFetch.create({
        data: {
          feedId: feed.id,
          startedAt: started,
          finishedAt: finished,
          outcome,
          httpStatus,
          bytes,
          entries: fields.entries ?? 0,
          badLines: fields.bad ?? 0,
          durationMs,
          error: fields.error?.slice(0, 500) ?? null,
        },
      });
      return true;
    });
    if (!kept) return { outcome: 'lost_lease' };
    metrics.fetches.inc({ feed: feed.name, outcome });
    metrics.fetchSeconds.observe({ feed: feed.name }, durationMs / 1000);
    if (outcome === 'ok') {
      metrics.feedEntries.set({ feed: feed.name }, fields.entries ?? 0);
      metrics.feedBadLines.set({ feed: feed.name }, fields.bad ?? 0);
    }
    if (outcome === 'error') {
      emitEvent({ type: 'threat.feed.fetch.failed', outcome: 'failure', actor: { type: 'system', id: 'threat-intel' }, reason: fields.error, details: { feedId: feed.id, feed: feed.name, httpStatus } });
    }
    return { outcome, entries: fields.entries, badLines: fields.bad, error: fields.error };
  };

  let result;
  try {
    result = await downloadFeed(feed.url, {
      allowPrivateNetworks: getConfig().threatFeeds.allowPrivateNetworks,
      ...download,
      etag: feed.etag,
      lastModified: feed.lastModified,
      onProgress: (n) => {
        bytes = n;
        download.onProgress?.(n);
        // Progress for the console, at most twice a second.
        if (Date.now() - lastProgress > 500) {
          lastProgress = Date.now();
          void setState(feed.id, feed.leaseToken, 'downloading', n).catch(() => undefined);
        }
      },
    });
  } catch (error) {
    httpStatus = error instanceof DownloadError ? error.httpStatus : null;
    const message = error instanceof Error ? error.message : 'download failed';
    getLogger().warn({ feed: feed.name, error: message }, 'threat feed download failed; previous entries kept');
    return finish('error', { error: message });
  }
  httpStatus = result.httpStatus;
  if (result.status === 'not_modified') return finish('not_modified', {});
  bytes = result.bytes;

  await setState(feed.id, feed.leaseToken, 'parsing', bytes);
  let parsed;
  try {
    const options = formatOptionsSchema.parse(feed.options ?? {});
    parsed = parseFeed(result.text, feed.format, feed.kind, options);
  } catch (error) {
    return finish('error', { error: `could not parse the feed: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (parsed.entries.length === 0 && parsed.bad > 0) {
    return finish('error', { error: `no readable entry (${parsed.bad} bad lines); previous entries kept`, bad: parsed.bad, samples: parsed.badSamples });
  }
  await setState(feed.id, feed.leaseToken, 'saving');
  const encoded = encodeEntries(parsed.entries);
  return finish('ok', { entries: parsed.entries.length, bad: parsed.bad, ignored: parsed.ignored, samples: parsed.badSamples, encoded, etag: result.etag, lastModified: result.lastModified });
}

/**
 * Claims and runs due feeds one after another until none is due; rebuilds the matcher once if
 * any feed's entries changed. Returns what ran.
 */
export async function runDueFeeds(download: DownloadOptions = {}, limit = 50): Promise<{ feed: string; result: FetchOutcome }[]> {
  const ran: { feed: string; result: FetchOutcome }[] = [];
  for (let i = 0; i < limit; i++) {
    const feed = await claimDueFeed();
    if (!feed) break;
    const result = await runClaimedFeed(feed, download);
    ran.push({ feed: feed.name, result });
  }
  if (ran.some((r) => r.result.outcome === 'ok')) await rebuildMatcher();
  return ran;
}

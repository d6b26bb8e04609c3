import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { getConfig } from '@/lib/config';
import pg from 'pg';
import { getDatabase } from '@/lib/db';
import { LEASE_MIN_LIMIT, PointLeases } from './lease';

/**
 * Counters every instance shares: Redis when REDIS_URL is set, otherwise the Postgres database
 * (table rate_limits), and in memory on the embedded database (one process by construction).
 */
const KEY = Symbol.for('iam.ratelimit.limiters');
/** A limit's counter, and the point leases in front of it when the counter is shared and the limit generous. */
type Counter = { limiter: RateLimiterAbstract; leases?: PointLeases };
type State = { counters: Map<string, Promise<Counter>>; redis?: Redis; counterPool?: pg.Pool };
type WithState = typeof globalThis & { [KEY]?: State };
const state = (): State => ((globalThis as WithState)[KEY] ??= { counters: new Map() });

export async function limiterFor(points: number, durationSeconds: number): Promise<RateLimiterAbstract> {
  return (await counterFor(points, durationSeconds)).limiter;
}

/**
 * One counter per limit, shared by concurrent first requests (the map holds the promise): two
 * lease holders for one limit would each keep points the other cannot hand out.
 */
function counterFor(points: number, durationSeconds: number): Promise<Counter> {
  const id = `${points}/${durationSeconds}`;
  const counters = state().counters;
  let counter = counters.get(id);
  if (!counter) {
    counter = createCounter(id, points, durationSeconds);
    counters.set(id, counter);
    counter.catch(() => counters.delete(id)); // a store that failed to open is tried again next time
  }
  return counter;
}

async function createCounter(id: string, points: number, durationSeconds: number): Promise<Counter> {
  const s = state();
  const options = { points, duration: durationSeconds, keyPrefix: `rl:${id}` };
  const config = getConfig();
  let limiter: RateLimiterAbstract;
  if (config.redisUrl) {
    s.redis ??= new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    limiter = new RateLimiterRedis({ ...options, storeClient: s.redis, insuranceLimiter: new RateLimiterMemory(options) });
  } else {
    const db = await getDatabase();
    if (db.pgPool && config.database.url) {
      // Counters get their own small pool with synchronous_commit off: a crash may lose the last
      // fraction of a second of increments (harmless for a rate limit), and no request waits on
      // a WAL flush for one. Security state (codes, tokens) keeps synchronous commits.
      if (!s.counterPool) {
        s.counterPool = new pg.Pool({ connectionString: config.database.url, max: 4, options: '-c synchronous_commit=off' });
        s.counterPool.on('error', () => undefined); // an idle client's error; the next query reconnects
      }
      // Expired counters are deleted by lib/server/housekeeping.ts (sweepExpiredRateLimitCounters),
      // in bounded batches, rather than by the store's own timer: that would run one unbounded
      // DELETE per limit per instance every five minutes.
      limiter = new RateLimiterPostgres({ ...options, storeClient: s.counterPool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false });
    } else {
      limiter = new RateLimiterMemory(options);
    }
  }
  const shared = !(limiter instanceof RateLimiterMemory);
  return { limiter, leases: shared && points >= LEASE_MIN_LIMIT ? new PointLeases(limiter, points) : undefined };
}

export interface ConsumeResult {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
}

/** Takes one point for `key`; never throws for an exhausted limit (that is `allowed: false`). */
export async function consumePoint(points: number, durationSeconds: number, key: string, cost = 1): Promise<ConsumeResult> {
  const { limiter, leases } = await counterFor(points, durationSeconds);
  if (leases && cost === 1) return leases.consume(key);
  try {
    const res = await limiter.consume(key, cost);
    return { allowed: true, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection; // a store failure, not a limit
    const res = rejection as RateLimiterRes;
    return { allowed: false, remaining: 0, resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
}

export async function closeRateLimitStores() {
  const s = state();
  s.redis?.disconnect();
  await s.counterPool?.end();
  s.counterPool = undefined;
  s.counters.clear();
}

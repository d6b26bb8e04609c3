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
type State = { limiters: Map<string, RateLimiterAbstract>; leases: Map<string, PointLeases>; redis?: Redis; counterPool?: pg.Pool };
type WithState = typeof globalThis & { [KEY]?: State };
const state = (): State => ((globalThis as WithState)[KEY] ??= { limiters: new Map(), leases: new Map() });

export async function limiterFor(points: number, durationSeconds: number): Promise<RateLimiterAbstract> {
  const id = `${points}/${durationSeconds}`;
  const s = state();
  const existing = s.limiters.get(id);
  if (existing) return existing;
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
      s.counterPool ??= new pg.Pool({ connectionString: config.database.url, max: 4, options: '-c synchronous_commit=off' });
      s.counterPool.on('error', () => undefined);
      limiter = new RateLimiterPostgres({ ...options, storeClient: s.counterPool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false });
    } else {
      limiter = new RateLimiterMemory(options);
    }
  }
  s.limiters.set(id, limiter);
  return limiter;
}

export interface ConsumeResult {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
}

/** Takes one point for `key`; never throws for an exhausted limit (that is `allowed: false`). */
export async function consumePoint(points: number, durationSeconds: number, key: string, cost = 1): Promise<ConsumeResult> {
  const limiter = await limiterFor(points, durationSeconds);
  if (cost === 1 && points >= LEASE_MIN_LIMIT && !(limiter instanceof RateLimiterMemory)) {
    const leases = state().leases;
    const id = `${points}/${durationSeconds}`;
    let forLimit = leases.get(id);
    if (!forLimit) leases.set(id, (forLimit = new PointLeases(limiter, points)));
    return forLimit.consume(key);
  }
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
  s.limiters.clear();
  s.leases.clear();
}

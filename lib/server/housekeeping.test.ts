import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { sweepExpiredRateLimitCounters } from './housekeeping';

const MINUTE = 60_000;

/** The rate_limits table (rate-limiter-flexible's Postgres store: `expire` in epoch milliseconds). */
describe('rate-limit counter sweep', () => {
  beforeAll(async () => {
    await openMemoryDatabase();
  }, 120_000);
  afterAll(closeDatabase);

  const keys = async () => (await (await getPrisma()).rateLimitCounter.findMany({ select: { key: true }, orderBy: { key: 'asc' } })).map((r) => r.key);

  beforeEach(async () => {
    await (await getPrisma()).rateLimitCounter.deleteMany({});
  });

  it('deletes counters whose window ended, keeps live ones and those without a window', async () => {
    const now = Date.now();
    const prisma = await getPrisma();
    await prisma.rateLimitCounter.createMany({
      data: [
        { key: 'rl:5/60:expired-long-ago', points: 5, expire: BigInt(now - 60 * MINUTE) },
        { key: 'rl:5/60:expired', points: 3, expire: BigInt(now - 2 * MINUTE) },
        { key: 'rl:5/60:just-ended', points: 1, expire: BigInt(now - 1_000) }, // within the clock-skew grace
        { key: 'rl:5/60:live', points: 2, expire: BigInt(now + 30_000) },
        { key: 'rl:5/60:no-window', points: 9, expire: null },
      ],
    });
    expect(await sweepExpiredRateLimitCounters({ nowMs: now })).toBe(2);
    expect(await keys()).toEqual(['rl:5/60:just-ended', 'rl:5/60:live', 'rl:5/60:no-window']);
    // A later sweep takes what has ended since.
    expect(await sweepExpiredRateLimitCounters({ nowMs: now + 2 * MINUTE })).toBe(2);
    expect(await keys()).toEqual(['rl:5/60:no-window']);
  });

  it('deletes in bounded batches: one sweep takes at most its share, the next the rest', async () => {
    const now = Date.now();
    const prisma = await getPrisma();
    await prisma.rateLimitCounter.createMany({ data: Array.from({ length: 25 }, (_, i) => ({ key: `rl:old:${String(i).padStart(2, '0')}`, points: 1, expire: BigInt(now - 10 * MINUTE) })) });
    await prisma.rateLimitCounter.create({ data: { key: 'rl:live', points: 1, expire: BigInt(now + MINUTE) } });
    expect(await sweepExpiredRateLimitCounters({ nowMs: now, batchRows: 4, maxBatches: 3 })).toBe(12);
    expect(await keys()).toHaveLength(14);
    expect(await sweepExpiredRateLimitCounters({ nowMs: now, batchRows: 4, maxBatches: 10 })).toBe(13);
    expect(await keys()).toEqual(['rl:live']);
  });
});

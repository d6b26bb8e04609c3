import { describe, expect, it } from 'vitest';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { LEASE_MIN_LIMIT, PointLeases } from './lease';

/** A real in-process counter store, counting how often it is asked (the round trips saved). */
class CountingStore extends RateLimiterMemory {
  calls = 0;
  override consume(key: string | number, points?: number, options?: Record<string, unknown>) {
    this.calls += 1;
    return super.consume(key, points, options);
  }
}

describe('rate-limit point leasing', () => {
  it('allows exactly the limit from one instance, with far fewer store updates', async () => {
    const store = new CountingStore({ points: 400, duration: 60 });
    const leases = new PointLeases(store, 400);
    const results = [];
    for (let i = 0; i < 450; i++) results.push(await leases.consume('k'));
    expect(results.filter((r) => r.allowed)).toHaveLength(400);
    expect(results.slice(0, 400).every((r) => r.allowed)).toBe(true);
    expect(results.slice(400).every((r) => !r.allowed && r.remaining === 0 && r.resetSeconds > 0)).toBe(true);
    expect(store.calls).toBeLessThan(150); // 400 points + 50 refusals would be 450 without leases
    // remaining counts down to zero as the last points go out
    expect(results[399].remaining).toBe(0);
    expect(results[0].remaining).toBe(399);
  });

  it('never lets several instances together exceed the limit, and wastes little of it', async () => {
    const store = new RateLimiterMemory({ points: 300, duration: 60 });
    const instances = [new PointLeases(store, 300), new PointLeases(store, 300), new PointLeases(store, 300)];
    const results = await Promise.all(Array.from({ length: 600 }, (_, i) => instances[i % 3].consume('shared')));
    const allowed = results.filter((r) => r.allowed).length;
    expect(allowed).toBeLessThanOrEqual(300);
    expect(allowed).toBeGreaterThanOrEqual(300 - 3 * 2); // only blocks of one point are in flight near the end
  });

  it('starts afresh when the window ends', async () => {
    const store = new RateLimiterMemory({ points: LEASE_MIN_LIMIT, duration: 1 });
    const leases = new PointLeases(store, LEASE_MIN_LIMIT);
    for (let i = 0; i < LEASE_MIN_LIMIT; i++) expect((await leases.consume('w')).allowed).toBe(true);
    expect((await leases.consume('w')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await leases.consume('w')).allowed).toBe(true);
  });

  it('keeps keys apart', async () => {
    const store = new RateLimiterMemory({ points: 100, duration: 60 });
    const leases = new PointLeases(store, 100);
    for (let i = 0; i < 100; i++) await leases.consume('a');
    expect((await leases.consume('a')).allowed).toBe(false);
    expect((await leases.consume('b')).allowed).toBe(true);
  });
});

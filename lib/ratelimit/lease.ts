import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { ConsumeResult } from './store';

/**
 * Point leasing in front of a shared counter store (Postgres or Redis).
 *
 * Taking every point from the shared store costs a round trip per request. For generous limits
 * a process instead takes a small block of points in one atomic store update and hands them out
 * locally. The store still sees every point before it is used, so instances together can never
 * allow more than the limit; at worst an instance holds a few unused points when the window
 * ends, and others are refused slightly early. Blocks shrink as the window's budget runs down,
 * to one point near the limit, so the last points are always counted exactly. Small limits
 * (logins, MFA, the default of 60 a minute) never lease: every point goes to the store.
 */
export const LEASE_MIN_LIMIT = 100;
const LEASE_SHARE = 16; // a block is at most 1/16 of what the window had left
const LEASE_MAX = 50;
const MAX_TRACKED_KEYS = 50_000;

type Lease = { left: number; storeRemaining: number; resetAt: number; spent: boolean };

const secondsUntil = (at: number) => Math.max(1, Math.ceil((at - Date.now()) / 1000));

export class PointLeases {
  private readonly leases = new Map<string, Lease>();
  /** One store update in flight per key: concurrent requests wait for it, then share its block. */
  private readonly refilling = new Map<string, Promise<void>>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly points: number,
  ) {}

  async consume(key: string): Promise<ConsumeResult> {
    for (;;) {
      const local = this.fromLease(key);
      if (local) return local;
      const pending = this.refilling.get(key);
      if (!pending) break;
      await pending;
    }
    const refill = this.refill(key).finally(() => this.refilling.delete(key));
    this.refilling.set(
      key,
      refill.then(
        () => undefined,
        () => undefined, // waiters retry on their own; the caller below sees the error
      ),
    );
    return (await refill) ?? this.refused(key);
  }

  /** A point from this instance's block, or a refusal while the window is known to be spent. */
  private fromLease(key: string): ConsumeResult | null {
    const lease = this.leases.get(key);
    if (!lease || lease.resetAt <= Date.now()) return null;
    if (lease.left > 0) {
      lease.left -= 1;
      return { allowed: true, remaining: lease.storeRemaining + lease.left, resetSeconds: secondsUntil(lease.resetAt) };
    }
    // A fixed window never gives points back: once the store refused, refuse until it resets
    // (a flood from one key then costs no database work at all).
    return lease.spent ? this.refused(key) : null;
  }

  private async refill(key: string): Promise<ConsumeResult | null> {
    const lease = this.leases.get(key);
    const known = lease && lease.resetAt > Date.now() ? lease.storeRemaining : this.points;
    const block = Math.max(1, Math.min(LEASE_MAX, Math.floor(known / LEASE_SHARE)));
    const taken = await this.take(key, block);
    if (taken || block === 1) return taken;
    // The block did not fit in what is left: give it back and ask for the single point.
    await this.limiter.reward(key, block);
    return this.take(key, 1);
  }

  private async take(key: string, block: number): Promise<ConsumeResult | null> {
    try {
      const res = await this.limiter.consume(key, block);
      const resetAt = Date.now() + Math.max(res.msBeforeNext, 0);
      this.remember(key, { left: block - 1, storeRemaining: res.remainingPoints, resetAt, spent: false });
      return { allowed: true, remaining: res.remainingPoints + block - 1, resetSeconds: secondsUntil(resetAt) };
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection; // the store failed; not a limit
      const res = rejection as RateLimiterRes;
      this.remember(key, { left: 0, storeRemaining: 0, resetAt: Date.now() + Math.max(res.msBeforeNext, 0), spent: block === 1 });
      return null;
    }
  }

  private refused(key: string): ConsumeResult {
    return { allowed: false, remaining: 0, resetSeconds: secondsUntil(this.leases.get(key)?.resetAt ?? Date.now()) };
  }

  private remember(key: string, lease: Lease) {
    if (this.leases.size >= MAX_TRACKED_KEYS && !this.leases.has(key)) {
      const now = Date.now();
      for (const [k, l] of this.leases) if (l.resetAt <= now) this.leases.delete(k);
      // Still full (a flood of distinct keys): forget the oldest; they just lease afresh.
      for (const k of this.leases.keys()) {
        if (this.leases.size < MAX_TRACKED_KEYS) break;
        this.leases.delete(k);
      }
    }
    this.leases.set(key, lease);
  }
}

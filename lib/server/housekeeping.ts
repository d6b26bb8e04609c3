import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';
import { rotateDueKeys } from '@/lib/keys';

const SWEEP_EVERY_MS = 10 * 60 * 1000;
const ROTATION_CHECK_EVERY_MS = 60 * 60 * 1000;

// rate-limiter-flexible's Postgres store keeps `expire` as epoch milliseconds (BIGINT; NULL for a
// counter without a window, which never expires).
const COUNTER_BATCH_ROWS = 5_000;
const COUNTER_BATCHES_PER_SWEEP = 20;
// Each instance stamps `expire` from its own clock: the grace keeps a counter whose instance
// runs a little behind the sweeping one until that instance sees it expired too.
const COUNTER_GRACE_MS = 60_000;

/**
 * Deletes rate-limit counters whose window has ended. An expired row already counts as absent
 * to the store (the next consume starts a new window on it), so deleting one changes no limit.
 * Batches of COUNTER_BATCH_ROWS, each its own short statement, so a large backlog never holds
 * locks for long against the counters being consumed; what one sweep leaves, the next takes.
 * A row a consume renewed between the batch's select and its delete has moved (new ctid) and
 * fails the repeated `expire` check, so it stays.
 */
export async function sweepExpiredRateLimitCounters(options: { nowMs?: number; batchRows?: number; maxBatches?: number } = {}): Promise<number> {
  const { nowMs = Date.now(), batchRows = COUNTER_BATCH_ROWS, maxBatches = COUNTER_BATCHES_PER_SWEEP } = options;
  const cutoff = BigInt(nowMs - COUNTER_GRACE_MS);
  const prisma = await getPrisma();
  let removed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM rate_limits
      WHERE ctid = ANY(ARRAY(SELECT ctid FROM rate_limits WHERE expire < ${cutoff} LIMIT ${batchRows}::int))
        AND expire < ${cutoff}`;
    removed += deleted;
    if (deleted < batchRows) break;
  }
  return removed;
}

/**
 * Background duties of every instance: the signing-key rotation schedule, and deleting expired
 * oidc-provider rows (codes, sessions, tokens, interactions) and rate-limit counters. Idempotent,
 * so several instances may run it; expired rows are already invisible to their readers.
 */
export function startHousekeeping(): () => void {
  const sweep = async () => {
    try {
      const prisma = await getPrisma();
      const removed = await prisma.$executeRaw`DELETE FROM oidc_payloads WHERE expires_at < now()`;
      if (removed > 0) getLogger().debug({ removed }, 'expired oidc state removed');
    } catch (error) {
      getLogger().warn({ err: error }, 'housekeeping sweep failed');
    }
    // On its own: a failure of one sweep does not leave the other table to grow.
    try {
      const removed = await sweepExpiredRateLimitCounters();
      if (removed > 0) getLogger().debug({ removed }, 'expired rate-limit counters removed');
    } catch (error) {
      getLogger().warn({ err: error }, 'rate-limit counter sweep failed');
    }
  };
  const rotate = async () => {
    try {
      const rotated = await rotateDueKeys();
      if (rotated.length) getLogger().info({ tenants: rotated }, 'scheduled signing key rotation');
    } catch (error) {
      getLogger().warn({ err: error }, 'scheduled key rotation failed');
    }
  };
  void rotate();
  const timers = [setInterval(() => void sweep(), SWEEP_EVERY_MS), setInterval(() => void rotate(), ROTATION_CHECK_EVERY_MS)];
  timers.forEach((t) => t.unref());
  return () => timers.forEach((t) => clearInterval(t));
}

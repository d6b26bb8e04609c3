import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';
import { rotateDueKeys } from '@/lib/keys';

const SWEEP_EVERY_MS = 10 * 60 * 1000;
const ROTATION_CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Background duties of every instance: the signing-key rotation schedule, and deleting expired
 * oidc-provider rows (codes, sessions, tokens, interactions). Idempotent, so
 * several instances may run it; expired rows are already invisible to the adapter.
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

import { getPrisma } from '@/lib/db';
import { getLogger } from '@/lib/log';

const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * Deletes expired oidc-provider rows (codes, sessions, tokens, interactions). Idempotent, so
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
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

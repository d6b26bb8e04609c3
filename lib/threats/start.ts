import { getConfig } from '@/lib/config';
import { getLogger } from '@/lib/log';
import { registerGuard } from '@/lib/server/guards';
import { rebuildIfStale, rebuildMatcher } from './engine';
import { threatGuard, THREAT_GUARD_ORDER } from './guard';
import { flushHits } from './hits';
import { ensureBuiltinFeeds, setFetchKick } from './manage';
import { runDueFeeds } from './refresh-feed';

export const SCHEDULER_TICK_MS = 15_000;
export const GENERATION_POLL_MS = 15_000;

/**
 * Started once by server.ts: creates the built-in feed definitions, loads the IOCs, registers
 * the request guard, and starts the fetch scheduler, the poll that picks up other instances'
 * changes, and the hit-counter flush. With THREAT_INTEL_ENABLED=false it does nothing: nothing
 * is fetched, nothing blocked. Returns a stop function.
 */
export async function startThreatIntel(): Promise<() => void> {
  const log = getLogger();
  if (!getConfig().features.threatIntel) {
    log.info('threat intelligence disabled (THREAT_INTEL_ENABLED=false): no feed is fetched, no request blocked');
    return () => undefined;
  }
  await ensureBuiltinFeeds();
  await rebuildMatcher();
  registerGuard('threat-intel', THREAT_GUARD_ORDER, threatGuard);

  let running: Promise<void> | null = null;
  let again = false;
  const runScheduler = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const ran = await runDueFeeds();
          for (const { feed, result } of ran) log.info({ feed, ...result }, 'threat feed fetched');
        } while (again);
      } catch (error) {
        log.warn({ err: error }, 'threat feed scheduler run failed');
      } finally {
        running = null;
      }
    })();
  };
  setFetchKick(runScheduler);
  const poll = async () => {
    try {
      await rebuildIfStale();
    } catch (error) {
      log.warn({ err: error }, 'threat matcher refresh failed; the previous matcher stays in use');
    }
  };
  runScheduler();
  const timers = [
    setInterval(runScheduler, SCHEDULER_TICK_MS),
    setInterval(() => void poll(), GENERATION_POLL_MS),
    setInterval(() => void flushHits(), 10_000),
  ];
  timers.forEach((t) => t.unref());
  process.once('SIGTERM', () => void flushHits());
  return () => {
    timers.forEach((t) => clearInterval(t));
    setFetchKick(undefined);
  };
}

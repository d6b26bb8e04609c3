import { Counter, Gauge, Histogram } from 'prom-client';
import { getMetrics } from '@/lib/metrics';

/**
 * iam_threat_* metrics, on the process's one registry (lib/metrics). Kept on globalThis like the
 * registry itself: the custom server and Next's bundled code are two module graphs.
 */
function createThreatMetrics() {
  const registers = [getMetrics().registry];
  return {
    hits: new Counter({
      name: 'iam_threat_hits_total',
      help: 'Requests or values matching an IOC, by source (feed name, "manual", "allow") and action taken (block, challenge, log, allow)',
      labelNames: ['source', 'action'] as const,
      registers,
    }),
    entries: new Gauge({
      name: 'iam_threat_ioc_entries',
      help: 'IOC entries loaded in the matcher, by family (ipv4, ipv6, domain)',
      labelNames: ['family'] as const,
      registers,
    }),
    matcherBytes: new Gauge({
      name: 'iam_threat_matcher_bytes',
      help: 'Estimated memory held by the IOC matcher',
      registers,
    }),
    buildSeconds: new Gauge({
      name: 'iam_threat_matcher_build_seconds',
      help: 'Time the last matcher rebuild took',
      registers,
    }),
    fetches: new Counter({
      name: 'iam_threat_feed_fetches_total',
      help: 'Feed fetches by feed and outcome (ok, not_modified, error)',
      labelNames: ['feed', 'outcome'] as const,
      registers,
    }),
    fetchSeconds: new Histogram({
      name: 'iam_threat_feed_fetch_duration_seconds',
      help: 'Feed download + parse + save time',
      labelNames: ['feed'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    feedEntries: new Gauge({
      name: 'iam_threat_feed_entries',
      help: 'Entries of each feed at its last good fetch',
      labelNames: ['feed'] as const,
      registers,
    }),
    feedBadLines: new Gauge({
      name: 'iam_threat_feed_bad_lines',
      help: 'Unreadable lines in each feed at its last fetch',
      labelNames: ['feed'] as const,
      registers,
    }),
  };
}

export type ThreatMetrics = ReturnType<typeof createThreatMetrics>;
const KEY = Symbol.for('iam.threats.metrics');
type WithThreatMetrics = typeof globalThis & { [KEY]?: ThreatMetrics };

export function threatMetrics(): ThreatMetrics {
  const g = globalThis as WithThreatMetrics;
  g[KEY] ??= createThreatMetrics();
  return g[KEY];
}

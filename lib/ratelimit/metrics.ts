import { Counter } from 'prom-client';
import { getMetrics } from '@/lib/metrics';

const KEY = Symbol.for('iam.metrics.ratelimit');
type WithCounters = typeof globalThis & { [KEY]?: { rejections: Counter<'endpoint' | 'key_type'>; lockouts: Counter<'tenant' | 'kind'> } };

function counters() {
  const g = globalThis as WithCounters;
  g[KEY] ??= {
    rejections: new Counter({ name: 'iam_ratelimit_rejections_total', help: 'Requests refused by a rate-limit policy', labelNames: ['endpoint', 'key_type'] as const, registers: [getMetrics().registry] }),
    lockouts: new Counter({ name: 'iam_lockouts_total', help: 'Account lockouts and credential-stuffing blocks', labelNames: ['tenant', 'kind'] as const, registers: [getMetrics().registry] }),
  };
  return g[KEY];
}

export const rateLimitRejections = () => counters().rejections;
export const lockoutCounter = () => counters().lockouts;

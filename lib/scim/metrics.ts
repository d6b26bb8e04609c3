import { Counter, Histogram } from 'prom-client';
import { getMetrics } from '@/lib/metrics';

/**
 * SCIM metrics, on the product's one registry. Cached on globalThis like the registry itself:
 * the custom server and Next's bundled routes are separate module graphs in one process.
 */
function create() {
  const registers = [getMetrics().registry];
  return {
    requests: new Counter({
      name: 'iam_scim_requests_total',
      help: 'SCIM requests by tenant, resource (Users, Groups, Bulk, …), method and HTTP status',
      labelNames: ['tenant', 'resource', 'method', 'status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'iam_scim_request_duration_seconds',
      help: 'SCIM request latency by resource and method',
      labelNames: ['resource', 'method'] as const,
      buckets: [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    changes: new Counter({
      name: 'iam_scim_changes_total',
      help: 'Changes made through SCIM by tenant, resource type and change (created, replaced, patched, deleted, deactivated, reactivated)',
      labelNames: ['tenant', 'resource', 'change'] as const,
      registers,
    }),
    authFailures: new Counter({
      name: 'iam_scim_auth_failures_total',
      help: 'SCIM requests refused at authentication, by reason (missing, invalid, wrong_tenant, revoked, expired)',
      labelNames: ['reason'] as const,
      registers,
    }),
    bulkOperations: new Counter({
      name: 'iam_scim_bulk_operations_total',
      help: 'Operations inside SCIM Bulk requests, by tenant, method and outcome (success, failure, skipped)',
      labelNames: ['tenant', 'method', 'outcome'] as const,
      registers,
    }),
  };
}

export type ScimMetrics = ReturnType<typeof create>;
const KEY = Symbol.for('iam.scim.metrics');
type WithScimMetrics = typeof globalThis & { [KEY]?: ScimMetrics };

export function scimMetrics(): ScimMetrics {
  const g = globalThis as WithScimMetrics;
  g[KEY] ??= create();
  return g[KEY];
}

import client, { Counter, Histogram, Registry } from 'prom-client';

/**
 * One prom-client registry per process, kept on globalThis because the custom server and Next's
 * bundled routes are separate module graphs. Names follow iam_<noun>_<unit>.
 */
function createMetrics() {
  const registry = new Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'iam_process_' });
  return {
    registry,
    authentications: new Counter({
      name: 'iam_authentications_total',
      help: 'End-user authentication attempts by tenant, method and outcome',
      labelNames: ['tenant', 'method', 'outcome'] as const,
      registers: [registry],
    }),
    tokenOperations: new Counter({
      name: 'iam_token_operations_total',
      help: 'Token endpoint operations (issue, refresh, introspect, revoke) by tenant, grant type and outcome',
      labelNames: ['tenant', 'operation', 'grant_type', 'outcome'] as const,
      registers: [registry],
    }),
    securityEvents: new Counter({
      name: 'iam_security_events_total',
      help: 'Security and audit events by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    mfaEvents: new Counter({
      name: 'iam_mfa_events_total',
      help: 'MFA enrolments, confirmations, challenges, replays, lockouts, recovery-code uses and resets',
      labelNames: ['tenant', 'event', 'outcome'] as const,
      registers: [registry],
    }),
    keyRotations: new Counter({
      name: 'iam_signing_key_rotations_total',
      help: 'Signing key rotations by tenant',
      labelNames: ['tenant'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'iam_http_request_duration_seconds',
      help: 'Request latency by surface (oidc, app), endpoint and status class',
      labelNames: ['surface', 'endpoint', 'method', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
const KEY = Symbol.for('iam.metrics');
type WithMetrics = typeof globalThis & { [KEY]?: Metrics };

export function getMetrics(): Metrics {
  const g = globalThis as WithMetrics;
  g[KEY] ??= createMetrics();
  return g[KEY];
}

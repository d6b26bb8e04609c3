import { getConfig } from '@/lib/config';
import { getLogger } from '@/lib/log';
import { getMetrics } from '@/lib/metrics';
import type { PrismaClient } from '@/lib/db';
import { getSql } from '@/lib/db/sql';
import type { SecurityEvent } from './types';

type Tx = Pick<PrismaClient, 'auditEvent'>;

const SECRET_KEY = /(secret|password|token|code|assertion|cookie|authorization|otp|totp|seed)/i;

/** Drops any detail whose name suggests a secret: a last line of defence, not the first. */
function scrub(details?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!details) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : value;
  }
  return out;
}

function toRow(event: SecurityEvent) {
  return {
    type: event.type,
    tenantId: event.tenantId ?? null,
    actorType: event.actor.type,
    actorId: event.actor.id ?? null,
    subject: event.subject ?? null,
    clientId: event.clientId ?? null,
    ip: event.ip ?? event.actor.ip ?? null,
    userAgent: (event.userAgent ?? event.actor.userAgent)?.slice(0, 512) ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    details: (scrub(event.details) ?? undefined) as never,
  };
}

function announce(event: SecurityEvent) {
  getMetrics().securityEvents.inc({ type: event.type, outcome: event.outcome });
  if (getConfig().features.securityLogging) {
    getLogger().info({ kind: 'security_event', event: { ...toRow(event), tenant: event.tenantSlug ?? undefined } }, event.type);
  }
}

/**
 * Records an event in the audit table inside the caller's transaction (so the change and its
 * event commit or roll back together), then logs it as a JSON line and counts it.
 * Pass the transaction client; the log line and metric are emitted only after the insert.
 */
export async function recordEvent(tx: Tx, event: SecurityEvent): Promise<void> {
  await tx.auditEvent.create({ data: toRow(event) });
  announce(event);
}

// Events that are not tied to one of our own writes (oidc-provider's token and login events)
// are batched: one multi-row INSERT per flush keeps the token endpoint to its own work.
const BUFFER = Symbol.for('iam.audit.buffer');
type QueuedRow = ReturnType<typeof toRow> & { time: Date };
type BufferState = { rows: QueuedRow[]; timer?: NodeJS.Timeout; flushing?: Promise<void> };
type WithBuffer = typeof globalThis & { [BUFFER]?: BufferState };

function buffer(): BufferState {
  const g = globalThis as WithBuffer;
  g[BUFFER] ??= { rows: [] };
  return g[BUFFER];
}

const FLUSH_AFTER_MS = 200;
const FLUSH_AT_ROWS = 500;

/** Queues an event for the audit table (written within ~200 ms) and logs/counts it at once. */
export function emitEvent(event: SecurityEvent): void {
  announce(event);
  const state = buffer();
  state.rows.push({ ...toRow(event), time: new Date() });
  if (state.rows.length >= FLUSH_AT_ROWS) void flushEvents();
  else state.timer ??= setTimeout(() => void flushEvents(), FLUSH_AFTER_MS);
}

/** Writes every queued event; safe to call concurrently and at shutdown. */
export async function flushEvents(): Promise<void> {
  const state = buffer();
  if (state.timer) clearTimeout(state.timer);
  state.timer = undefined;
  await state.flushing;
  if (state.rows.length === 0) return;
  const rows = state.rows.splice(0, state.rows.length);
  state.flushing = (async () => {
    try {
      await insertBatch(rows);
    } catch (error) {
      getLogger().error({ err: error, lost: rows.length }, 'audit events could not be written');
    }
  })();
  await state.flushing;
}

/**
 * One INSERT of column arrays: the same prepared statement whatever the batch size, and none of
 * the ORM's per-row work (Prisma's createMany was a fifth of the token endpoint's CPU under load).
 */
async function insertBatch(rows: QueuedRow[]) {
  const column = <K extends keyof QueuedRow>(key: K) => rows.map((row) => row[key]);
  const sql = await getSql();
  await sql.execute(
    `INSERT INTO audit_events (time, type, tenant_id, actor_type, actor_id, subject, client_id, ip, user_agent, outcome, reason, details)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[])`,
    [
      column('time'),
      column('type'),
      column('tenantId'),
      column('actorType'),
      column('actorId'),
      column('subject'),
      column('clientId'),
      column('ip'),
      column('userAgent'),
      column('outcome'),
      column('reason'),
      rows.map((row) => (row.details === undefined ? null : JSON.stringify(row.details))),
    ],
  );
}

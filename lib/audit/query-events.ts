import { z } from 'zod';
import { getPrisma, Prisma } from '@/lib/db';

const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');
const BIGINT_MAX = 9223372036854775807n;

export const auditFilterSchema = z.object({
  tenantId: z.uuid().optional(),
  actor: z.string().trim().max(200).optional(),
  type: z.string().trim().max(100).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  subject: z.string().trim().max(200).optional(),
  // Bounded to what the database's timestamptz and bigint columns hold: an out-of-range value is a
  // bad filter (400), not a failed query.
  from: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
  to: z.coerce.date().min(EARLIEST).max(LATEST).optional(),
  // Keyset pagination: events strictly older than this id.
  before: z.coerce.bigint().min(0n).max(BIGINT_MAX).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

export interface AuditEventDto {
  id: string;
  time: Date;
  type: string;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  subject: string | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  reason: string | null;
  details: unknown;
}

function whereOf(filter: z.infer<typeof auditFilterSchema>, tenantScope: 'all' | string[]): Prisma.AuditEventWhereInput {
  return {
    ...(filter.tenantId ? { tenantId: filter.tenantId } : {}),
    ...(tenantScope === 'all' ? {} : { tenantId: filter.tenantId && tenantScope.includes(filter.tenantId) ? filter.tenantId : { in: tenantScope } }),
    ...(filter.actor ? { actorId: filter.actor } : {}),
    ...(filter.type ? { type: { startsWith: filter.type } } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.subject ? { subject: filter.subject } : {}),
    ...(filter.from || filter.to ? { time: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
  };
}

const toDto = (row: { id: bigint } & Omit<AuditEventDto, 'id'>): AuditEventDto => ({ ...row, id: row.id.toString() });

/** Newest first, `limit` at a time; `nextBefore` continues the listing. */
export async function listAuditEvents(input: AuditFilter, tenantScope: 'all' | string[] = 'all') {
  const filter = auditFilterSchema.parse(input);
  const prisma = await getPrisma();
  const where = whereOf(filter, tenantScope);
  const rows = await prisma.auditEvent.findMany({
    where: filter.before ? { ...where, id: { lt: filter.before } } : where,
    orderBy: { id: 'desc' },
    take: filter.limit + 1,
  });
  const events = rows.slice(0, filter.limit).map(toDto);
  return { events, nextBefore: rows.length > filter.limit ? events[events.length - 1].id : null };
}

/** Streams every matching event (newest first) in batches, for CSV/JSON export. */
export async function* iterateAuditEvents(input: AuditFilter, tenantScope: 'all' | string[] = 'all') {
  let before: string | null | undefined;
  do {
    const page = await listAuditEvents({ ...input, limit: 500, ...(before ? { before } : {}) }, tenantScope);
    yield* page.events;
    before = page.nextBefore;
  } while (before);
}

const CSV_COLUMNS: (keyof AuditEventDto)[] = ['id', 'time', 'type', 'outcome', 'tenantId', 'actorType', 'actorId', 'subject', 'clientId', 'ip', 'userAgent', 'reason', 'details'];

/** RFC 4180 field; a leading = + - @ is neutralised so spreadsheets never run it as a formula. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = () => CSV_COLUMNS.join(',') + '\r\n';
export const csvRow = (event: AuditEventDto) => CSV_COLUMNS.map((c) => csvField(event[c])).join(',') + '\r\n';

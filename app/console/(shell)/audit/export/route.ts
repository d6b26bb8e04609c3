import { NextResponse } from 'next/server';
import { actorOf, assertCan, tenantScope } from '@/lib/authz';
import { csvHeader, csvRow, emitEvent, iterateAuditEvents, type AuditEventDto } from '@/lib/audit';
import { isAppError } from '@/lib/errors';
import { getConsoleIdentity, requestMetaFromHeaders } from '@/lib/http/console-auth';
import { readAuditQuery, toAuditFilter } from '../filter';

export const dynamic = 'force-dynamic';

const EXPORT_ROWS_PER_PULL = 200;

/**
 * GET /console/audit/export?format=csv|json&<the audit page's filters>: every matching event the
 * administrator may see, streamed (newest first). Needs audit.export; the export is itself an
 * audit event.
 */
export async function GET(request: Request) {
  const identity = await getConsoleIdentity();
  if (!identity) return NextResponse.json({ error: { code: 'unauthorized', message: 'sign in to the console first' } }, { status: 401 });
  const url = new URL(request.url);
  const format = url.searchParams.get('format') === 'json' ? 'json' : 'csv';
  const query = readAuditQuery(url.searchParams);
  delete query.before;
  const parsed = toAuditFilter(query, 500);
  if (parsed.error !== undefined) return NextResponse.json({ error: { code: 'invalid_input', message: parsed.error } }, { status: 400 });
  const meta = await requestMetaFromHeaders();
  const scope = tenantScope(identity.principal, 'audit.export');
  try {
    // Denials are audited. Without a tenant filter the export covers the administrator's scope;
    // a tenant filter must name a tenant in it.
    if (scope !== 'all' && scope.length === 0) assertCan(identity.principal, 'audit.export', null, meta);
    if (parsed.filter.tenantId) assertCan(identity.principal, 'audit.export', parsed.filter.tenantId, meta);
  } catch (error) {
    if (isAppError(error)) return NextResponse.json({ error: { code: 'forbidden', message: error.message } }, { status: 403 });
    throw error;
  }
  emitEvent({
    type: 'audit.exported',
    outcome: 'success',
    tenantId: parsed.filter.tenantId ?? null,
    actor: actorOf(identity.principal),
    ip: meta.ip,
    userAgent: meta.userAgent,
    details: { format, filter: { ...query }, scope: scope === 'all' ? 'all' : scope },
  });

  // Pulled, not pushed: the next rows are read from the database only as the client takes what
  // was sent, so a slow or stalled reader never makes the server hold the whole audit log.
  const events = iterateAuditEvents(parsed.filter, scope)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let opened = false;
  let first = true;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let chunk = opened ? '' : format === 'csv' ? csvHeader() : '[\n';
          opened = true;
          for (let i = 0; i < EXPORT_ROWS_PER_PULL; i++) {
            const next = await events.next();
            if (next.done) {
              controller.enqueue(encoder.encode(format === 'json' ? `${chunk}\n]\n` : chunk));
              controller.close();
              return;
            }
            chunk += format === 'csv' ? csvRow(next.value) : (first ? '' : ',\n') + JSON.stringify(next.value satisfies AuditEventDto);
            first = false;
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await events.return?.();
      },
    },
    { highWaterMark: 1 },
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

import { NextResponse } from 'next/server';
import { actorOf, assertCan, tenantScope } from '@/lib/authz';
import { csvHeader, csvRow, emitEvent, iterateAuditEvents, type AuditEventDto } from '@/lib/audit';
import { isAppError } from '@/lib/errors';
import { getConsoleIdentity, requestMetaFromHeaders } from '@/lib/http/console-auth';
import { readAuditQuery, toAuditFilter } from '../filter';

export const dynamic = 'force-dynamic';

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

  const events = iterateAuditEvents(parsed.filter, scope);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (format === 'csv') {
          controller.enqueue(encoder.encode(csvHeader()));
          for await (const event of events) controller.enqueue(encoder.encode(csvRow(event)));
        } else {
          controller.enqueue(encoder.encode('[\n'));
          let first = true;
          for await (const event of events) {
            controller.enqueue(encoder.encode((first ? '' : ',\n') + JSON.stringify(event satisfies AuditEventDto)));
            first = false;
          }
          controller.enqueue(encoder.encode('\n]\n'));
        }
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
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

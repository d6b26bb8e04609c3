import { NextResponse } from 'next/server';
import { tenantScope } from '@/lib/authz';
import { getConsoleIdentity } from '@/lib/http/console-auth';
import { listFeeds } from '@/lib/threats';

export const dynamic = 'force-dynamic';

/** GET /console/threats/status: every feed's fetch progress, polled by the feed table. */
export async function GET() {
  const identity = await getConsoleIdentity();
  if (!identity) return NextResponse.json({ error: { code: 'unauthorized', message: 'sign in to the console first' } }, { status: 401 });
  const scope = tenantScope(identity.principal, 'audit.read');
  if (scope !== 'all' && scope.length === 0) return NextResponse.json({ error: { code: 'forbidden', message: 'you do not have permission to audit read' } }, { status: 403 });
  const feeds = await listFeeds();
  return NextResponse.json(
    { feeds: feeds.map((f) => ({ id: f.id, fetchState: f.fetchState, fetchBytes: f.fetchBytes, lastStatus: f.lastStatus, lastFetchAt: f.lastFetchAt, lastError: f.lastError, entryCount: f.entryCount, badLines: f.badLines })) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}

import { getPrisma } from '@/lib/db';

export interface SignInBucket {
  bucket: string;
  success: number;
  failure: number;
}

/** Sign-in successes and failures per hour (last 24 h) or per day (last 30 days), from the audit log. */
export async function signInSeries(tenantId: string, range: '24h' | '30d'): Promise<SignInBucket[]> {
  const prisma = await getPrisma();
  const unit = range === '24h' ? 'hour' : 'day';
  const count = range === '24h' ? 24 : 30;
  const rows = await prisma.$queryRaw<{ bucket: Date; outcome: string; n: bigint }[]>`
    SELECT date_trunc(${unit}, time) AS bucket, outcome, count(*) AS n
    FROM audit_events
    WHERE tenant_id = ${tenantId}::uuid AND type IN ('user.login.succeeded', 'user.login.failed')
      AND time > now() - (${count} || ' ' || ${unit})::interval
    GROUP BY 1, 2`;
  const step = unit === 'hour' ? 3_600_000 : 86_400_000;
  const end = new Date();
  if (unit === 'hour') end.setUTCMinutes(0, 0, 0);
  else end.setUTCHours(0, 0, 0, 0);
  const buckets = new Map<number, SignInBucket>();
  for (let i = count - 1; i >= 0; i--) {
    const t = new Date(end.getTime() - i * step);
    buckets.set(t.getTime(), { bucket: unit === 'hour' ? t.toISOString().slice(11, 16) : t.toISOString().slice(5, 10), success: 0, failure: 0 });
  }
  for (const row of rows) {
    const b = buckets.get(new Date(row.bucket).getTime());
    if (b) b[row.outcome === 'success' ? 'success' : 'failure'] += Number(row.n);
  }
  return [...buckets.values()];
}

/** Distinct users with a successful sign-in in the last 30 days. */
export async function activeUserCount(tenantId: string): Promise<number> {
  const prisma = await getPrisma();
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(DISTINCT subject) AS n FROM audit_events
    WHERE tenant_id = ${tenantId}::uuid AND type = 'user.login.succeeded' AND time > now() - interval '30 days'`;
  return Number(row?.n ?? 0);
}

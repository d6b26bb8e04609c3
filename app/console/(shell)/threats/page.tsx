import Link from 'next/link';
import { listTenants } from '@/lib/tenants';
import { hitsPerSource, listFeeds, matcherStatus, topBlockedIps } from '@/lib/threats';
import { Badge } from '@/components/ui/badge';
import { Card, StatCard } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonStyles } from '@/components/ui/styles';
import { cellStyles, Table } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { HitsChart } from '@/components/threats/charts';
import { FeedTable } from '@/components/threats/feed-table';
import { fetchFeedNowAction, toggleFeedAction } from './actions';
import { requireThreatReader } from './_lib/access';

export const dynamic = 'force-dynamic';

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export default async function ThreatsPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const { scope, canWriteGlobal } = await requireThreatReader('/console/threats');
  const range = (await searchParams).range === '30d' ? '30d' : '24h';
  const [feeds, top, hits, tenants] = await Promise.all([listFeeds(), topBlockedIps(scope, range === '30d' ? 720 : 24), hitsPerSource(range), listTenants(scope)]);
  const status = matcherStatus();
  const slugOf = new Map(tenants.map((t) => [t.id, t.slug]));
  const enabled = feeds.filter((f) => f.enabled);
  const failing = enabled.filter((f) => f.lastStatus === 'error');
  return (
    <>
      <PageHeader
        title="Threat intelligence"
        description="IOC feeds and manual lists matched against the client address of every request (and against domains of new users and redirect URIs). Listed addresses are blocked, challenged with MFA at sign-in, or logged, by policy."
        crumbs={[{ href: '/console', label: 'Console' }, { label: 'Threat intelligence' }]}
        actions={
          <>
            <Link href="/console/threats/lists" className={buttonStyles.secondary}>
              Allow / deny lists &amp; policy
            </Link>
            {canWriteGlobal && (
              <Link href="/console/threats/feeds/new" className={buttonStyles.primary}>
                Add feed
              </Link>
            )}
          </>
        }
      />
      {!status.enabled && (
        <p role="status" className="mb-6 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-amber-200">
          Threat intelligence is switched off on this server (THREAT_INTEL_ENABLED=false): no feed is fetched and no request is blocked.
        </p>
      )}
      <dl className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Feeds enabled" value={`${enabled.length} / ${feeds.length}`} hint={failing.length ? `${failing.length} failing` : 'none failing'} />
        <StatCard label="IP ranges loaded" value={(status.entries.ipv4 + status.entries.ipv6).toLocaleString('en')} hint={`${status.entries.ipv4.toLocaleString('en')} IPv4 · ${status.entries.ipv6.toLocaleString('en')} IPv6`} />
        <StatCard label="Domains loaded" value={status.entries.domain.toLocaleString('en')} />
        <StatCard label="Matcher memory" value={mib(status.bytes)} hint={status.builtAt ? `built ${formatDateTime(status.builtAt)} in ${status.buildMs} ms` : 'not built on this instance'} />
      </dl>
      <div className="mb-6 grid gap-6 lg:grid-cols-3">
        <Card
          title="Hits per source"
          className="lg:col-span-2"
          actions={
            <nav aria-label="Range" className="flex gap-1 text-sm">
              {(['24h', '30d'] as const).map((r) => (
                <Link key={r} href={`/console/threats?range=${r}`} aria-current={r === range ? 'page' : undefined} className={`rounded px-2 py-1 ${r === range ? 'bg-indigo-50 font-semibold text-indigo-700' : 'text-slate-600 hover:bg-slate-100'}`}>
                  {r === '24h' ? 'Last 24 hours' : 'Last 30 days'}
                </Link>
              ))}
            </nav>
          }
        >
          <HitsChart buckets={hits.buckets} series={hits.series} caption={range === '24h' ? 'Hits per hour, last 24 hours' : 'Hits per day, last 30 days'} />
        </Card>
        <Card title="Top listed addresses" description={range === '24h' ? 'Last 24 hours' : 'Last 30 days'}>
          {top.length === 0 ? (
            <p className="text-sm text-slate-600">No listed address has been seen.</p>
          ) : (
            <Table caption="Top listed addresses" head={['Address', 'Hits', 'Action']}>
              {top.map((t) => (
                <tr key={`${t.ip}-${t.action}-${t.tenantId}`}>
                  <td className={`${cellStyles} font-mono text-xs`}>
                    {t.ip}
                    <span className="block font-sans text-slate-500">{t.tenantId ? (slugOf.get(t.tenantId) ?? 'tenant') : 'outside tenants'}</span>
                  </td>
                  <td className={`${cellStyles} tabular-nums`}>{t.hits.toLocaleString('en')}</td>
                  <td className={cellStyles}>
                    <Badge tone={t.action === 'block' ? 'red' : t.action === 'challenge' ? 'amber' : 'gray'}>{t.action}</Badge>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
      <Card title={`Feeds (${feeds.length})`} description="Built-in feeds start disabled. A failed download or parse keeps the last good entries.">
        <FeedTable feeds={feeds} fetchNow={fetchFeedNowAction} toggle={toggleFeedAction} canWrite={canWriteGlobal} />
      </Card>
    </>
  );
}

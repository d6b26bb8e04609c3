import { notFound } from 'next/navigation';
import { z } from 'zod';
import { feedFetchHistory, getFeed } from '@/lib/threats';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { cellStyles, Table } from '@/components/ui/table';
import { formatDateTime } from '@/components/console/format';
import { FetchHistoryChart } from '@/components/threats/charts';
import { FeedForm } from '@/components/threats/feed-form';
import { FeedTable } from '@/components/threats/feed-table';
import { deleteFeedAction, fetchFeedNowAction, toggleFeedAction, updateFeedAction } from '../../actions';
import { requireThreatReader } from '../../_lib/access';

export const dynamic = 'force-dynamic';

export default async function FeedPage({ params }: { params: Promise<{ feedId: string }> }) {
  const { feedId } = await params;
  const { canWriteGlobal } = await requireThreatReader(`/console/threats/feeds/${encodeURIComponent(feedId)}`);
  if (!z.uuid().safeParse(feedId).success) notFound();
  const feed = await getFeed(feedId);
  if (!feed) notFound();
  const history = await feedFetchHistory(feedId);
  return (
    <>
      <PageHeader
        title={feed.name}
        description={feed.description || undefined}
        crumbs={[{ href: '/console', label: 'Console' }, { href: '/console/threats', label: 'Threat intelligence' }, { label: feed.name }]}
        actions={
          canWriteGlobal && !feed.builtin ? (
            <ActionForm
              action={deleteFeedAction}
              hidden={{ feedId: feed.id }}
              label="Delete feed"
              variant="dangerOutline"
              confirm={{ title: `Delete ${feed.name}?`, body: <p>Its entries stop matching at once and its fetch history is removed. Hit counters already recorded stay.</p>, confirmLabel: 'Delete feed' }}
            />
          ) : undefined
        }
      />
      <div className="mb-6">
        <FeedTable feeds={[feed]} fetchNow={fetchFeedNowAction} toggle={toggleFeedAction} canWrite={canWriteGlobal} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Fetch history">
          {history.length === 0 ? <p className="text-sm text-slate-600">Not fetched yet.</p> : <FetchHistoryChart points={history} />}
          {feed.badSamples.length > 0 && (
            <div className="mt-4">
              <h3 className="text-sm font-semibold text-slate-800">Unreadable lines at the last fetch ({feed.badLines.toLocaleString('en')}), for example</h3>
              <ul className="mt-1 space-y-1 font-mono text-xs text-slate-700">
                {feed.badSamples.map((s, i) => (
                  <li key={i} className="break-all rounded bg-slate-50 px-2 py-1">
                    {s}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
        <Card title={canWriteGlobal ? 'Settings' : 'Definition'}>
          {canWriteGlobal ? (
            <FeedForm action={updateFeedAction} initial={feed} submitLabel="Save feed" />
          ) : (
            <dl className="grid grid-cols-3 gap-2 text-sm">
              <dt className="text-slate-500">URL</dt>
              <dd className="col-span-2 break-all font-mono text-xs">{feed.url}</dd>
              <dt className="text-slate-500">Format</dt>
              <dd className="col-span-2">{feed.format}</dd>
              <dt className="text-slate-500">Every</dt>
              <dd className="col-span-2">{feed.intervalMinutes} min</dd>
            </dl>
          )}
        </Card>
      </div>
      <Card title="Recent fetches" className="mt-6">
        <Table caption="Recent fetches" head={['Started', 'Outcome', 'HTTP', 'Entries', 'Bad lines', 'Size', 'Time', 'Error']}>
          {[...history].reverse().slice(0, 20).map((h) => (
            <tr key={h.startedAt}>
              <td className={`${cellStyles} whitespace-nowrap`}>{formatDateTime(h.startedAt)}</td>
              <td className={cellStyles}>
                <Badge tone={h.outcome === 'error' ? 'red' : 'green'}>{h.outcome}</Badge>
              </td>
              <td className={cellStyles}>{h.httpStatus ?? '—'}</td>
              <td className={`${cellStyles} tabular-nums`}>{h.entries.toLocaleString('en')}</td>
              <td className={`${cellStyles} tabular-nums`}>{h.badLines.toLocaleString('en')}</td>
              <td className={`${cellStyles} tabular-nums`}>{(h.bytes / 1024).toFixed(0)} KiB</td>
              <td className={`${cellStyles} tabular-nums`}>{(h.durationMs / 1000).toFixed(1)} s</td>
              <td className={`${cellStyles} text-xs text-red-700`}>{h.error ?? ''}</td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}

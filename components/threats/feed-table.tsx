'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import type { ActionState, FormAction } from '@/components/ui/action-state';
import { Badge } from '@/components/ui/badge';
import { formatDateTime } from '@/components/console/format';
import { cellStyles, Table } from '@/components/ui/table';
import { buttonStyles } from '@/components/ui/styles';

export interface FeedRowDto {
  id: string;
  name: string;
  url: string;
  format: string;
  kind: string;
  builtin: boolean;
  enabled: boolean;
  action: string | null;
  fetchState: string;
  fetchBytes: number;
  lastFetchAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  entryCount: number;
  badLines: number;
}

type Status = Pick<FeedRowDto, 'id' | 'fetchState' | 'fetchBytes' | 'lastStatus' | 'lastFetchAt' | 'lastError' | 'entryCount' | 'badLines'>;

const busy = (state: string) => state !== 'idle';

function progressLabel(s: Status): string {
  if (s.fetchState === 'queued') return 'Queued…';
  if (s.fetchState === 'downloading') return `Downloading… ${(s.fetchBytes / 1024).toFixed(0)} KiB`;
  if (s.fetchState === 'parsing') return 'Parsing…';
  if (s.fetchState === 'saving') return 'Saving…';
  return '';
}

function StatusBadge({ s }: { s: Status }) {
  if (busy(s.fetchState)) return <Badge tone="blue">{progressLabel(s)}</Badge>;
  if (s.lastStatus === 'ok') return <Badge tone="green">OK</Badge>;
  if (s.lastStatus === 'not_modified') return <Badge tone="green">Unchanged</Badge>;
  if (s.lastStatus === 'error') return <Badge tone="red">Failed</Badge>;
  return <Badge>Never fetched</Badge>;
}

function RowButton({ action, hidden, label, variant = 'secondary', onDone }: { action: FormAction; hidden: Record<string, string>; label: string; variant?: 'secondary' | 'ghost'; onDone?: () => void }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, {});
  useEffect(() => {
    if (state.ok) onDone?.();
  }, [state, onDone]);
  return (
    <form action={formAction} className="inline">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" disabled={pending} className={`${buttonStyles[variant]} px-2 py-1 text-xs`}>
        {pending ? '…' : label}
      </button>
      {state.message && !state.ok && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

/**
 * The feed list with live fetch progress: while any feed is queued or being fetched the table
 * polls /console/threats/status every second, then refreshes the page once all are idle.
 */
export function FeedTable({ feeds, fetchNow, toggle, canWrite }: { feeds: FeedRowDto[]; fetchNow: FormAction; toggle: FormAction; canWrite: boolean }) {
  const router = useRouter();
  const [live, setLive] = useState<Record<string, Status>>({});
  const [polling, setPolling] = useState(() => feeds.some((f) => busy(f.fetchState)));

  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    const tick = async () => {
      try {
        const response = await fetch('/console/threats/status', { cache: 'no-store' });
        if (!response.ok) return;
        const { feeds: statuses } = (await response.json()) as { feeds: Status[] };
        if (stopped) return;
        setLive(Object.fromEntries(statuses.map((s) => [s.id, s])));
        if (!statuses.some((s) => busy(s.fetchState))) {
          setPolling(false);
          router.refresh();
        }
      } catch {
        /* try again on the next tick */
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [polling, router]);

  return (
    <Table caption="Threat feeds" head={['Feed', 'Type', 'Status', 'Last fetch', 'Entries', 'Bad lines', '']}>
      {feeds.map((feed) => {
        const s: Status = { ...feed, ...live[feed.id] };
        return (
          <tr key={feed.id} data-testid={`feed-${feed.id}`}>
            <td className={cellStyles}>
              <Link href={`/console/threats/feeds/${feed.id}`} className="font-medium text-indigo-700 hover:underline">
                {feed.name}
              </Link>
              <span className="block max-w-xs truncate text-xs text-slate-500" title={feed.url}>
                {feed.url}
              </span>
              {s.lastStatus === 'error' && s.lastError && <span className="block max-w-xs text-xs text-red-700">{s.lastError}</span>}
            </td>
            <td className={`${cellStyles} whitespace-nowrap text-xs`}>
              {feed.kind === 'ip' ? 'IP' : 'Domain'} · {feed.format}
              {feed.action && <span className="block text-slate-500">action: {feed.action}</span>}
              {feed.builtin && <span className="block text-slate-500">built-in</span>}
            </td>
            <td className={cellStyles}>
              <div className="flex flex-col items-start gap-1" aria-live="polite">
                {feed.enabled ? <Badge tone="indigo">Enabled</Badge> : <Badge>Disabled</Badge>}
                <StatusBadge s={s} />
              </div>
            </td>
            <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(s.lastFetchAt)}</td>
            <td className={`${cellStyles} tabular-nums`}>{s.entryCount.toLocaleString('en')}</td>
            <td className={`${cellStyles} tabular-nums`}>{s.badLines > 0 ? <span className="text-amber-700">{s.badLines.toLocaleString('en')}</span> : 0}</td>
            <td className={`${cellStyles} whitespace-nowrap text-right`}>
              {canWrite && (
                <div className="flex flex-col items-end gap-1">
                  <RowButton action={fetchNow} hidden={{ feedId: feed.id }} label="Fetch now" onDone={() => setPolling(true)} />
                  <RowButton action={toggle} hidden={{ feedId: feed.id, enabled: feed.enabled ? 'false' : 'true' }} label={feed.enabled ? 'Disable' : 'Enable'} variant="ghost" onDone={() => router.refresh()} />
                </div>
              )}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

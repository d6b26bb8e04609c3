'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const COLORS = ['#6366f1', '#ef4444', '#f59e0b', '#10b981', '#0ea5e9', '#a855f7', '#64748b', '#ec4899'];

/** Hits per source over time, stacked; the numbers are repeated in a table for screen readers. */
export function HitsChart({ buckets, series, caption }: { buckets: string[]; series: { key: string; label: string; values: number[] }[]; caption: string }) {
  const shown = series.slice(0, 8);
  const data = buckets.map((bucket, i) => Object.fromEntries([['bucket', bucket], ...shown.map((s) => [s.key, s.values[i]])]));
  const total = series.reduce((t, s) => t + s.values.reduce((a, b) => a + b, 0), 0);
  return (
    <figure>
      <div className="h-56 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="bucket" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={40} />
            <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {shown.map((s, i) => (
              <Area key={s.key} type="monotone" dataKey={s.key} name={s.label} stackId="hits" stroke={COLORS[i % COLORS.length]} fill={COLORS[i % COLORS.length]} fillOpacity={0.35} isAnimationActive={false} />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">
        {caption}: {total.toLocaleString('en')} hits{series.length === 0 ? ' (none yet)' : ''}.
      </figcaption>
      <table className="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Hits</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.key}>
              <th scope="row">{s.label}</th>
              <td>{s.values.reduce((a, b) => a + b, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export interface FetchPoint {
  startedAt: string;
  outcome: string;
  entries: number;
  badLines: number;
  durationMs: number;
}

/** A feed's fetch history: entries and bad lines per fetch, failures marked. */
export function FetchHistoryChart({ points }: { points: FetchPoint[] }) {
  const data = points.map((p) => ({ time: `${p.startedAt.slice(5, 10)} ${p.startedAt.slice(11, 16)}`, entries: p.outcome === 'ok' ? p.entries : null, bad: p.badLines, seconds: Math.round(p.durationMs / 100) / 10, failed: p.outcome === 'error' ? 1 : 0 }));
  return (
    <figure>
      <div className="h-56 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="time" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} interval="preserveStartEnd" minTickGap={16} />
            <YAxis yAxisId="left" allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={56} />
            <YAxis yAxisId="right" orientation="right" allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={32} />
            <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Line yAxisId="left" type="stepAfter" dataKey="entries" name="Entries" stroke="#6366f1" dot={false} connectNulls isAnimationActive={false} />
            <Line yAxisId="right" type="stepAfter" dataKey="bad" name="Bad lines" stroke="#f59e0b" dot={false} isAnimationActive={false} />
            <Line yAxisId="right" type="stepAfter" dataKey="failed" name="Failed" stroke="#ef4444" dot isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">
        Last {points.length} fetches: {points.filter((p) => p.outcome === 'error').length} failed.
      </figcaption>
    </figure>
  );
}

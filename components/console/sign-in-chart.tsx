'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface SignInPoint {
  bucket: string;
  success: number;
  failure: number;
}

/**
 * Successful and failed sign-ins per bucket, stacked. The numbers are also in a table that
 * screen readers read (the SVG alone says nothing to them).
 */
export function SignInChart({ data, caption, bucketLabel }: { data: SignInPoint[]; caption: string; bucketLabel: string }) {
  const totals = data.reduce((t, p) => ({ success: t.success + p.success, failure: t.failure + p.failure }), { success: 0, failure: 0 });
  return (
    <figure>
      <div className="h-56 w-full" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="bucket" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={40} />
            <Tooltip cursor={{ fill: '#f1f5f9' }} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="success" name="Succeeded" stackId="s" fill="#10b981" isAnimationActive={false} />
            <Bar dataKey="failure" name="Failed" stackId="s" fill="#ef4444" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">
        {caption}: {totals.success} succeeded, {totals.failure} failed.
      </figcaption>
      <table className="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{bucketLabel}</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Failed</th>
          </tr>
        </thead>
        <tbody>
          {data.map((p) => (
            <tr key={p.bucket}>
              <th scope="row">{p.bucket}</th>
              <td>{p.success}</td>
              <td>{p.failure}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

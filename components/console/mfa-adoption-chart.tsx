'use client';

import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';

/** Share of users with a confirmed second factor, as a donut with an accessible text equivalent. */
export function MfaAdoptionChart({ enrolled, total }: { enrolled: number; total: number }) {
  const data = [
    { name: 'Second factor enrolled', value: enrolled },
    { name: 'Password only', value: Math.max(0, total - enrolled) },
  ];
  const percentage = total === 0 ? 0 : Math.round((enrolled / total) * 1000) / 10;
  return (
    <figure className="flex items-center gap-6">
      <div className="h-40 w-40" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie data={data} dataKey="value" nameKey="name" innerRadius={45} outerRadius={70} isAnimationActive={false}>
              <Cell fill="#4f46e5" />
              <Cell fill="#e2e8f0" />
            </Pie>
            <Tooltip />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-sm text-slate-700" data-testid="mfa-adoption">
        <span className="block text-3xl font-semibold tabular-nums text-slate-900">{percentage}%</span>
        {enrolled} of {total} users have a second factor
      </figcaption>
    </figure>
  );
}

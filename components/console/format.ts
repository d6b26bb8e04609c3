/** Formatting shared by server and client components: UTC, so server HTML and hydration agree. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** "3 days", "5 h": the time since `from`. */
export function formatAge(from: Date | string | null | undefined, now = new Date()): string {
  if (!from) return '—';
  const d = typeof from === 'string' ? new Date(from) : from;
  return formatDuration((now.getTime() - d.getTime()) / 1000);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

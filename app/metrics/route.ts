import { getConfig } from '@/lib/config';
import { getMetrics } from '@/lib/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus text exposition, when PROMETHEUS_METRICS_ENABLED. */
export async function GET() {
  if (!getConfig().features.prometheusMetrics) return new Response('metrics are disabled', { status: 404 });
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } });
}

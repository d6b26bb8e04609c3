import { Badge } from '@/components/ui/badge';

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge tone={outcome === 'success' ? 'green' : outcome === 'denied' ? 'amber' : 'red'}>{outcome}</Badge>;
}

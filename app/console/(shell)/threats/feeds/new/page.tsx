import { requirePermission } from '@/lib/http/console-auth';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { FeedForm } from '@/components/threats/feed-form';
import { createFeedAction } from '../../actions';
import { requireThreatReader } from '../../_lib/access';

export const dynamic = 'force-dynamic';

export default async function NewFeedPage() {
  const { identity } = await requireThreatReader('/console/threats/feeds/new');
  await requirePermission(identity, 'tenant.update', null);
  return (
    <>
      <PageHeader title="Add a feed" crumbs={[{ href: '/console', label: 'Console' }, { href: '/console/threats', label: 'Threat intelligence' }, { label: 'Add a feed' }]} />
      <Card className="max-w-3xl">
        <FeedForm action={createFeedAction} submitLabel="Add feed" />
      </Card>
    </>
  );
}

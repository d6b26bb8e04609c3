import { adminRoute, listAuditEventsOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listAuditEventsOp);

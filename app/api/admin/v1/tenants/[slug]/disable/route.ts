import { adminRoute, disableTenantOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const POST = adminRoute(disableTenantOp);

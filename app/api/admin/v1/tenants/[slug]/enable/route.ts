import { adminRoute, enableTenantOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const POST = adminRoute(enableTenantOp);

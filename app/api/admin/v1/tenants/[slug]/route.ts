import { adminRoute, deleteTenantOp, getTenantOp, updateTenantOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getTenantOp);
export const PATCH = adminRoute(updateTenantOp);
export const DELETE = adminRoute(deleteTenantOp);

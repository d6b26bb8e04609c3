import { adminRoute, createTenantOp, listTenantsOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listTenantsOp);
export const POST = adminRoute(createTenantOp);

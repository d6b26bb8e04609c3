import { adminRoute, deleteTenantOp, getTenantOp, updateTenantOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getTenantOp);
export const PATCH = adminRoute(updateTenantOp);
export const DELETE = adminRoute(deleteTenantOp);

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');

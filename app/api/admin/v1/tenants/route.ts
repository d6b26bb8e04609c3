import { adminRoute, createTenantOp, listTenantsOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listTenantsOp);
export const POST = adminRoute(createTenantOp);

// Other methods: 405 in the API's error format, with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');

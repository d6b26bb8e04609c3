import { adminRoute, disableTenantOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const POST = adminRoute(disableTenantOp);

// Other methods: 405 in the API's error format, with Allow.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');

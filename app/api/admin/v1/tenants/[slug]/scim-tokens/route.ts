import { adminRoute, createScimTokenOp, listScimTokensOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listScimTokensOp);
export const POST = adminRoute(createScimTokenOp);

// Other methods: 405 in the API's error format, with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');

import { adminRoute, listKeysOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listKeysOp);

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');

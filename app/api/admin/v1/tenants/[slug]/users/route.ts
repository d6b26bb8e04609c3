import { adminRoute, createUserOp, listUsersOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listUsersOp);
export const POST = adminRoute(createUserOp);

// Other methods: 405 in the API's error format, with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');

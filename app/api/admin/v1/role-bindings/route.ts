import { adminRoute, grantRoleOp, listRoleBindingsOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listRoleBindingsOp);
export const POST = adminRoute(grantRoleOp);

// Other methods: 405 in the API's error format, with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');

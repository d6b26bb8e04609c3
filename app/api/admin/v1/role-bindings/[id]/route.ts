import { adminRoute, revokeRoleOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const DELETE = adminRoute(revokeRoleOp);

// Other methods: 405 in the API's error format, with Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods('DELETE');

import { adminRoute, deleteUserOp, getUserOp, updateUserOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getUserOp);
export const PATCH = adminRoute(updateUserOp);
export const DELETE = adminRoute(deleteUserOp);

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');

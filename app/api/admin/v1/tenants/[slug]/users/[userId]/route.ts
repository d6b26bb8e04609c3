import { adminRoute, deleteUserOp, getUserOp, updateUserOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getUserOp);
export const PATCH = adminRoute(updateUserOp);
export const DELETE = adminRoute(deleteUserOp);

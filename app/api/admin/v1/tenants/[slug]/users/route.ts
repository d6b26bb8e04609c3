import { adminRoute, createUserOp, listUsersOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listUsersOp);
export const POST = adminRoute(createUserOp);

import { adminRoute, grantRoleOp, listRoleBindingsOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listRoleBindingsOp);
export const POST = adminRoute(grantRoleOp);

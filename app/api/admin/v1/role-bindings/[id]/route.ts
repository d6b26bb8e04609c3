import { adminRoute, revokeRoleOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const DELETE = adminRoute(revokeRoleOp);

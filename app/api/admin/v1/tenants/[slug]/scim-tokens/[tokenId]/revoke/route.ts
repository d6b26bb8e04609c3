import { adminRoute, revokeScimTokenOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const POST = adminRoute(revokeScimTokenOp);

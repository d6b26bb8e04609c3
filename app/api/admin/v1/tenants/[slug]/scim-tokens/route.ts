import { adminRoute, createScimTokenOp, listScimTokensOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listScimTokensOp);
export const POST = adminRoute(createScimTokenOp);

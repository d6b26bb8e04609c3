import { adminRoute, unlockUserOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const POST = adminRoute(unlockUserOp);

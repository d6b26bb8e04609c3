import { adminRoute, deleteClientOp, getClientOp, updateClientOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getClientOp);
export const PATCH = adminRoute(updateClientOp);
export const DELETE = adminRoute(deleteClientOp);

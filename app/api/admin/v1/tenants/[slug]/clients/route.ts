import { adminRoute, createClientOp, listClientsOp } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listClientsOp);
export const POST = adminRoute(createClientOp);

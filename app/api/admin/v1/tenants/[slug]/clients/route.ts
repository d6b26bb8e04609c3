import { adminRoute, createClientOp, listClientsOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listClientsOp);
export const POST = adminRoute(createClientOp);

// Other methods: 405 in the API's error format, with Allow.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');

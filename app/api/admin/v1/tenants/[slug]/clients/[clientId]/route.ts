import { adminRoute, deleteClientOp, getClientOp, updateClientOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(getClientOp);
export const PATCH = adminRoute(updateClientOp);
export const DELETE = adminRoute(deleteClientOp);

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, OPTIONS } = otherMethods('GET', 'PATCH', 'DELETE');

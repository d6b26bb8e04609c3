import { adminRoute, listAuditEventsOp, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

export const GET = adminRoute(listAuditEventsOp);

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');

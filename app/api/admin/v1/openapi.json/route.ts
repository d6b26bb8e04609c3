import { getOpenApiDocument, otherMethods } from '@/lib/admin-api';

export const dynamic = 'force-dynamic';

/** The OpenAPI 3.1 document, generated from the operations' zod schemas. Public: it holds no data. */
export function GET() {
  return Response.json(getOpenApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}

// Other methods: 405 in the API's error format, with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');

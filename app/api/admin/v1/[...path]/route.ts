export const dynamic = 'force-dynamic';

/** Unknown admin API paths answer in the API's error format rather than with the HTML 404 page. */
function notFound() {
  return Response.json({ error: { code: 'not_found', message: 'no such admin API endpoint (see /api/admin/v1/openapi.json)' } }, { status: 404, headers: { 'Cache-Control': 'no-store' } });
}

export const GET = notFound;
export const POST = notFound;
export const PATCH = notFound;
export const PUT = notFound;
export const DELETE = notFound;

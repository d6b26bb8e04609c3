import { handleScimRequest } from '@/lib/scim';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ tenant: string; path?: string[] }> };

/** SCIM 2.0 (RFC 7644) for one tenant: every path and method goes to lib/scim. */
async function handler(request: Request, { params }: Context) {
  const { tenant, path } = await params;
  return handleScimRequest(request, tenant, path ?? []);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS };

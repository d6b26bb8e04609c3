import { getConfig } from '@/lib/config';
import { tenantSlugSchema } from '@/lib/tenants';

/** Back from the provider: the session cookie is set; the account page takes over. */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const slug = tenantSlugSchema.safeParse(tenant);
  if (!slug.success) return new Response('unknown tenant', { status: 404 });
  return Response.redirect(`${getConfig().server.publicOrigin}/t/${slug.data}/account`, 303);
}

import { accountSignInUrl } from '@/lib/account';
import { issuerFor } from '@/lib/oidc';
import { tenantSlugSchema } from '@/lib/tenants';

/** Starts a sign-in (prompt=login: managing one's factors deserves a fresh authentication). */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const slug = tenantSlugSchema.safeParse(tenant);
  if (!slug.success) return new Response('unknown tenant', { status: 404 });
  const url = new URL(accountSignInUrl(slug.data, issuerFor(slug.data)));
  url.searchParams.set('prompt', 'login');
  return Response.redirect(url.href, 303);
}

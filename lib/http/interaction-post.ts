import { getConfig } from '@/lib/config';
import type { SubmitOutcome } from '@/lib/oidc';
import { isSameOriginPost, readForm, requestMeta } from './request-meta';

type Submit = (slug: string, uid: string, form: Record<string, string>, meta: ReturnType<typeof requestMeta>) => Promise<SubmitOutcome>;

/**
 * The one wrapper for the sign-in form posts: origin check, form parsing, the service call, then
 * a 303 (POST/redirect/GET) either onward to the provider or back to the page with an error code.
 */
export async function handleInteractionPost(request: Request, params: Promise<{ tenant: string; uid: string }>, submit: Submit) {
  const { tenant, uid } = await params;
  const pageUrl = `${getConfig().server.publicOrigin}/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;
  if (!isSameOriginPost(request.headers)) return new Response('cross-origin form post refused', { status: 403 });
  const outcome = await submit(tenant, uid, await readForm(request), requestMeta(request.headers));
  const location = 'redirectTo' in outcome ? outcome.redirectTo : `${pageUrl}?error=${outcome.error}`;
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

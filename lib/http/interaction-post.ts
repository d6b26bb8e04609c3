import { getConfig } from '@/lib/config';
import { PENDING_COOKIE, PENDING_TTL_SECONDS, type SubmitOutcome } from '@/lib/oidc';
import { isSameOriginPost, readForm, requestMeta } from './request-meta';

type Submit = (slug: string, uid: string, form: Record<string, string>, meta: ReturnType<typeof requestMeta>) => Promise<SubmitOutcome>;

/**
 * The one wrapper for the sign-in form posts: origin check, form parsing, the service call, then
 * a 303 (POST/redirect/GET) onward to the provider, to the page's next step (setting or clearing
 * the pending-sign-in cookie), or back to the page with an error code.
 */
export async function handleInteractionPost(request: Request, params: Promise<{ tenant: string; uid: string }>, submit: Submit) {
  const { tenant, uid } = await params;
  const { publicOrigin } = getConfig().server;
  const path = `/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;
  if (!isSameOriginPost(request.headers)) return new Response('cross-origin form post refused', { status: 403 });
  const outcome = await submit(tenant, uid, await readForm(request), requestMeta(request.headers));
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  if ('redirectTo' in outcome) {
    headers.set('Location', outcome.redirectTo);
    if (outcome.pending !== undefined) {
      const secure = publicOrigin.startsWith('https:') ? '; Secure' : '';
      headers.append(
        'Set-Cookie',
        outcome.pending === null
          ? `${PENDING_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`
          : `${PENDING_COOKIE}=${encodeURIComponent(outcome.pending)}; Path=${path}; Max-Age=${PENDING_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
      );
    }
  } else {
    headers.set('Location', `${publicOrigin}${path}?error=${encodeURIComponent(outcome.error)}`);
  }
  return new Response(null, { status: 303, headers });
}

import { NextResponse } from 'next/server';
import { emitEvent } from '@/lib/audit';
import { CONSOLE_CLIENT_ID, consoleUrls, endConsoleSession } from '@/lib/console';
import { issuerFor } from '@/lib/oidc';
import { ADMIN_TENANT_SLUG } from '@/lib/bootstrap/constants';
import { isSameOriginPost, requestMeta } from '@/lib/http/request-meta';
import { sessionCookieName, sessionCookieOptions } from '@/lib/http/console-auth';
import { readCookie } from '@/lib/http/cookies';

export const dynamic = 'force-dynamic';

/**
 * Signs out of the console and then of the provider too (RP-initiated logout with the session's
 * ID token as hint), so the next console visit asks for credentials again.
 */
export async function POST(request: Request) {
  if (!isSameOriginPost(request.headers)) return new Response('cross-origin form post refused', { status: 403 });
  const cookie = readCookie(request.headers.get('cookie'), sessionCookieName());
  const { userId, idToken } = await endConsoleSession(cookie);
  emitEvent({ type: 'admin.logout.succeeded', outcome: 'success', actor: { type: 'admin', id: userId ?? null }, subject: userId ?? null, ...requestMeta(request.headers) });
  const endSession = new URL(`${issuerFor(ADMIN_TENANT_SLUG)}/session/end`);
  endSession.searchParams.set('client_id', CONSOLE_CLIENT_ID);
  endSession.searchParams.set('post_logout_redirect_uri', consoleUrls().postLogoutRedirectUri);
  if (idToken) endSession.searchParams.set('id_token_hint', idToken);
  const response = NextResponse.redirect(endSession.href, 303);
  // Expired with the attributes it was set with: a __Host- cookie is only replaced by one that is Secure.
  response.cookies.set(sessionCookieName(), '', { ...sessionCookieOptions(), maxAge: 0 });
  return response;
}

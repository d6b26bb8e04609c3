import * as oidc from 'openid-client';
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { emitEvent } from '@/lib/audit';
import { loadGrants } from '@/lib/authz';
import { consoleRelyingParty, createConsoleSession } from '@/lib/console';
import { decryptSecret, deriveKey } from '@/lib/crypto';
import { findAdminTenant } from '@/lib/tenants';
import { requestMeta } from '@/lib/http/request-meta';
import { sessionCookieName, sessionCookieOptions } from '@/lib/http/console-auth';
import { readCookie } from '@/lib/http/cookies';

export const dynamic = 'force-dynamic';

function readPending(value: string | undefined) {
  if (!value) return null;
  try {
    const pending = JSON.parse(decryptSecret(value, deriveKey('console-auth-state')).toString()) as { verifier: string; state: string; nonce: string; returnTo: string; exp: number };
    return pending.exp > Date.now() ? pending : null;
  } catch {
    return null;
  }
}

/** Completes the console sign-in: validates the response and ID token, then opens a server-side session. */
export async function GET(request: Request) {
  const origin = getConfig().server.publicOrigin;
  const cookieHeader = request.headers.get('cookie') ?? '';
  const pending = readPending(readCookie(cookieHeader, 'iam_console_auth'));
  const meta = requestMeta(request.headers);
  const fail = (reason: string) => {
    const response = NextResponse.redirect(`${origin}/console/signed-out?error=${encodeURIComponent(reason)}`, 303);
    response.cookies.delete({ name: 'iam_console_auth', path: '/console/auth' });
    return response;
  };
  if (!pending) return fail('expired');

  // The public URL the provider redirected to (request.url carries Next's internal host).
  const callbackUrl = new URL(new URL(request.url).pathname + new URL(request.url).search, origin);
  if (callbackUrl.searchParams.get('error')) return fail(callbackUrl.searchParams.get('error')!);
  let claims: oidc.IDToken | undefined;
  let idToken: string | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(await consoleRelyingParty(), callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce });
    claims = tokens.claims();
    idToken = tokens.id_token;
  } catch {
    return fail('invalid_response');
  }
  const adminTenant = await findAdminTenant();
  const grants = claims ? await loadGrants({ userId: claims.sub }) : [];
  if (!claims || !adminTenant || grants.length === 0) {
    emitEvent({ type: 'admin.login.failed', outcome: 'denied', tenantId: adminTenant?.id, actor: { type: 'admin', id: claims?.sub }, reason: 'no console role', ...meta });
    return fail('no_console_access');
  }
  const token = await createConsoleSession(claims.sub, idToken, meta);
  emitEvent({ type: 'admin.login.succeeded', outcome: 'success', tenantId: adminTenant.id, actor: { type: 'admin', id: claims.sub }, subject: claims.sub, ...meta });
  const response = NextResponse.redirect(`${origin}${pending.returnTo}`, 303);
  response.cookies.delete({ name: 'iam_console_auth', path: '/console/auth' });
  response.cookies.set(sessionCookieName(), token, sessionCookieOptions());
  return response;
}

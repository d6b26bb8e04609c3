import * as oidc from 'openid-client';
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { consoleRelyingParty, consoleUrls } from '@/lib/console';
import { encryptSecret, deriveKey } from '@/lib/crypto';
import { safeReturnTo } from '@/lib/http/safe-return-to';

export const dynamic = 'force-dynamic';

/** Starts the console sign-in: authorization code + PKCE + state + nonce against the admin issuer. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const config = await consoleRelyingParty();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const returnTo = safeReturnTo(url.searchParams.get('returnTo'));
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: consoleUrls().redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const pending = encryptSecret(JSON.stringify({ verifier, state, nonce, returnTo, exp: Date.now() + 600_000 }), deriveKey('console-auth-state'));
  const response = NextResponse.redirect(authorizationUrl.href, 303);
  response.cookies.set('iam_console_auth', pending, { httpOnly: true, sameSite: 'lax', secure: getConfig().server.publicOrigin.startsWith('https:'), path: '/console/auth', maxAge: 600 });
  return response;
}

/**
 * The request sequences the bench drives: HTTP Basic client authentication, and the complete
 * browser sign-in (authorize → sign-in page → login form POST → consent page → consent POST →
 * callback → code exchange at /token) against our product and against the bare baseline.
 */
import crypto from 'node:crypto';
import { HttpBrowser, signInOverHttp } from '../e2e/support/browserless';
import { LeanHttpBrowser, leanSend } from './lean-browser';

export interface ConfidentialClient {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 §2.3.1: client_id and client_secret are each form-urlencoded before Base64. */
export function basicAuth(client: ConfidentialClient): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
}

export const FORM = 'application/x-www-form-urlencoded';

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

export async function tokenRequest(tokenEndpoint: string, client: ConfidentialClient, form: Record<string, string>) {
  const response = await leanSend(tokenEndpoint, 'POST', { authorization: basicAuth(client), 'content-type': FORM }, new URLSearchParams(form).toString());
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text.slice(0, 300) };
  }
  return { status: response.status, body };
}

export interface SignInTarget {
  /** The issuer: authorization endpoint `${issuer}/auth`, token endpoint `${issuer}/token`. */
  issuer: string;
  client: ConfidentialClient;
  redirectUri: string;
  username: string;
  password: string;
  /** Drives the sign-in pages: ours (Next.js pages) or oidc-provider's devInteractions. */
  pages: 'ours' | 'bare';
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

/**
 * One complete sign-in with a fresh browser (no session, so login and consent both happen),
 * authorization code + PKCE S256 with scope `openid offline_access` and prompt=consent, then the
 * code exchange. Returns the token response (refresh token included).
 */
export async function signInAndExchange(target: SignInTarget): Promise<TokenSet> {
  const { url, verifier, state } = authorizationRequest(target);
  const browser = new LeanHttpBrowser();
  const callback =
    target.pages === 'ours'
      ? await signInOverHttp(browser, url.href, { username: target.username, password: target.password, redirectUri: target.redirectUri })
      : await signInOverDevInteractions(browser, url.href, target.username, target.redirectUri);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`sign-in ended without a code: ${callback.href}`);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch on the callback');

  const { status, body } = await tokenRequest(`${target.issuer}/token`, target.client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: target.redirectUri,
    code_verifier: verifier,
  });
  if (status !== 200 || typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new Error(`code exchange failed (${status}): ${JSON.stringify(body).slice(0, 300)}`);
  }
  return body as unknown as TokenSet;
}

/**
 * A fresh authorization request: code + PKCE S256, scope `openid offline_access`, prompt=consent
 * (so a session never skips the consent page), with its verifier and state.
 */
export function authorizationRequest(target: Pick<SignInTarget, 'issuer' | 'client' | 'redirectUri'>) {
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(16));
  const url = new URL(`${target.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: target.client.clientId,
    response_type: 'code',
    redirect_uri: target.redirectUri,
    scope: 'openid offline_access',
    prompt: 'consent',
    code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    state,
    nonce: b64url(crypto.randomBytes(16)),
  }).toString();
  return { url, verifier, state };
}

/** oidc-provider's built-in development interactions: a login form, then a consent form. */
async function signInOverDevInteractions(browser: HttpBrowser, authorizationUrl: string, login: string, redirectUri: string): Promise<URL> {
  let url = authorizationUrl;
  let response = await browser.request(url);
  for (let step = 0; step < 12; step++) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url).toString();
      if (location.startsWith(redirectUri)) return new URL(location);
      url = location;
      response = await browser.request(url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`unexpected ${response.status} at ${url}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(login|consent)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`no devInteractions form at ${url}: ${html.slice(0, 300)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    response = await browser.request(url, { form });
  }
  throw new Error('devInteractions sign-in did not finish');
}

/** The JOSE header of a JWT, or null when the value is not a JWT. */
export function jwtHeader(token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string' || token.split('.').length !== 3) return null;
  try {
    return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import * as jose from 'jose';
import { readBodyWithin } from '@/lib/http/read-body';
import { API_SCOPES } from './configuration';

/**
 * Where oidc-provider's defaults differ from the letter of the RFCs, this middleware brings the
 * responses in line:
 * - no client authentication at all, or an Authorization header that is not readable Basic
 *   credentials → 401 invalid_client with WWW-Authenticate (RFC 6749 §5.2: a client that tried
 *   the Authorization header gets 401; RFC 7662 §2.1), not 400 invalid_request;
 * - a grant type the client is not registered for → unauthorized_client (RFC 6749 §5.2);
 * - GET/PUT/… on POST-only endpoints → 405 with Allow (RFC 9110 §15.5.6), not 404;
 * - client credentials asking for a scope the API does not define → invalid_scope (RFC 6749 §5.2);
 * - introspection of our own JWT access tokens answers (RFC 7662 §2.2) instead of refusing them:
 *   active with its claims for the client it was issued to while its user may still use it,
 *   inactive otherwise;
 * - token responses carry `Pragma: no-cache` besides `Cache-Control: no-store` (RFC 6749 §5.1);
 * - POST at the authorization and logout endpoints (OIDC Core §3.1.2.1, RP-Initiated Logout §2:
 *   both MUST be supported) answers 303 to the same request as GET (below).
 */
const POST_ONLY = new Set(['/token', '/token/introspection', '/token/revocation', '/request']);
/**
 * oidc-provider only serves POST at these when the session cookie is SameSite=None (a cross-site
 * form post would otherwise arrive without it and lose single sign-on). We keep SameSite=Lax and
 * answer the form post with a 303 to the GET form of the same request: the browser follows it as
 * a top-level navigation, which carries Lax cookies, and the GET handler does the rest.
 */
const GET_VIA_POST = new Set(['/auth', '/session/end']);
const GET_VIA_POST_LIMIT = 8 * 1024; // the parameters become a URL; larger requests belong in PAR or a request object
const BODY_LIMIT = 56 * 1024; // oidc-provider's own limit
const NO_CACHE_PATHS = new Set(['/token', '/token/introspection']);
/** oidc-provider's descriptions of an Authorization header it could not read as Basic credentials. */
const MALFORMED_BASIC = new Set([
  'invalid authorization header value format',
  'client_id and client_secret in the authorization header are not properly encoded',
  'client_secret must be provided in the Authorization header',
]);
const API_SCOPE_SET = new Set(API_SCOPES.split(' '));

async function readFormBody(ctx: KoaContextWithOIDC): Promise<URLSearchParams | null> {
  const raw = await readBodyWithin(ctx.req, BODY_LIMIT);
  if (raw === null) return null;
  // oidc-provider reads an already-consumed body from req.body.
  (ctx.req as unknown as { body: string }).body = raw;
  return new URLSearchParams(raw);
}

function oauthError(ctx: KoaContextWithOIDC, status: number, error: string, description: string) {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/** Whether a token's subject is still a user who may use it (exists, enabled). */
type AccountIsActive = (sub: string) => Promise<boolean>;

export function applyProtocolConformance(provider: Provider, publicJwks: jose.JSONWebKeySet, accountIsActive: AccountIsActive) {
  const keys = jose.createLocalJWKSet(publicJwks);

  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as KoaContextWithOIDC;
    if (GET_VIA_POST.has(ctx.path) && ctx.method === 'POST') return answerPostWithGet(ctx, provider.issuer);
    // OPTIONS is a CORS preflight: oidc-provider answers it for clients allowed to call from a browser.
    if (POST_ONLY.has(ctx.path) && ctx.method !== 'POST' && ctx.method !== 'OPTIONS') {
      ctx.set('Allow', 'POST');
      return oauthError(ctx, 405, 'invalid_request', `${ctx.method} is not supported at this endpoint; use POST`);
    }
    if (ctx.path === '/token' && ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) {
      const form = await readFormBody(ctx);
      if (!form) {
        ctx.set('Connection', 'close');
        return oauthError(ctx, 413, 'invalid_request', 'request body too large');
      }
      if (form.get('grant_type') === 'client_credentials') {
        const unknown = (form.get('scope') ?? '').split(' ').filter((s) => s && !API_SCOPE_SET.has(s));
        if (unknown.length) return oauthError(ctx, 400, 'invalid_scope', `unknown scope: ${unknown.join(' ')}`);
      }
    }

    await next();

    if (NO_CACHE_PATHS.has(ctx.path)) ctx.set('Pragma', 'no-cache');
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (!body || typeof body !== 'object' || !('error' in body)) return;
    const basicAttempted = ctx.headers.authorization !== undefined && MALFORMED_BASIC.has(body.error_description ?? '');
    if (body.error === 'invalid_request' && (body.error_description === 'no client authentication mechanism provided' || basicAttempted)) {
      ctx.status = 401;
      body.error = 'invalid_client';
      ctx.set('WWW-Authenticate', `Basic realm="${provider.issuer}", error="invalid_client"`);
    } else if (body.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
      body.error = 'unauthorized_client';
    } else if (ctx.path === '/token/introspection' && body.error === 'unsupported_token_type') {
      ctx.status = 200;
      ctx.body = await introspectJwt(ctx, provider.issuer, keys, accountIsActive);
    }
  });
}

/** The 303 from a form post at /auth or /session/end to the same parameters as a GET. */
async function answerPostWithGet(ctx: KoaContextWithOIDC, issuer: string) {
  const refuse = (status: number, message: string) => {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain';
    ctx.body = `${message}\n`;
  };
  if (!ctx.is('application/x-www-form-urlencoded')) {
    return refuse(400, 'invalid_request: the request parameters must be sent as application/x-www-form-urlencoded');
  }
  const raw = await readBodyWithin(ctx.req, GET_VIA_POST_LIMIT);
  if (raw === null) {
    ctx.set('Connection', 'close');
    return refuse(413, 'invalid_request: request too large; send large requests by reference (request_uri, PAR)');
  }
  // Re-serialised, so what reaches the GET handler is exactly the parameters that were posted.
  const query = new URLSearchParams(raw).toString();
  ctx.status = 303;
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(`${issuer}${ctx.path}${query ? `?${query}` : ''}`);
}

/**
 * RFC 7662 §2.2 for our JWT access tokens: active only for the client it was issued to, with a
 * valid signature, unexpired, and, when issued for a user, while that user exists and is enabled.
 * JWT access tokens are self-contained (RFC 9068) and not stored, so revoking their grant cannot
 * reach them: their lifetime (TOKEN_EXPIRY_SECONDS) bounds that, as for any resource server that
 * verifies them offline.
 */
async function introspectJwt(ctx: KoaContextWithOIDC, issuer: string, keys: ReturnType<typeof jose.createLocalJWKSet>, accountIsActive: AccountIsActive) {
  const token = ctx.oidc?.params?.token;
  const clientId = ctx.oidc?.client?.clientId;
  if (typeof token !== 'string' || !clientId) return { active: false };
  try {
    const { payload } = await jose.jwtVerify(token, keys, { issuer, typ: 'at+jwt' });
    if (payload.client_id !== clientId || typeof payload.sub !== 'string') return { active: false };
    // A client-credentials token's subject is the client itself (RFC 9068 §2.2).
    if (payload.sub !== payload.client_id && !(await accountIsActive(payload.sub))) return { active: false };
    return { active: true, token_type: 'Bearer', ...payload };
  } catch {
    return { active: false };
  }
}

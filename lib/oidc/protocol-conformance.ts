import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import * as jose from 'jose';
import { readBodyWithin } from '@/lib/http/read-body';
import { API_SCOPES } from './configuration';

/**
 * Where oidc-provider's defaults differ from the letter of the RFCs, this middleware brings the
 * responses in line:
 * - no client authentication at all → 401 invalid_client (RFC 6749 §5.2, RFC 7662 §2.1), not
 *   invalid_request;
 * - a grant type the client is not registered for → unauthorized_client (RFC 6749 §5.2);
 * - GET/PUT/… on POST-only endpoints → 405 with Allow (RFC 9110 §15.5.6), not 404;
 * - client credentials asking for a scope the API does not define → invalid_scope (RFC 6749 §5.2);
 * - introspection of our own JWT access tokens answers (RFC 7662 §2.2) instead of refusing them:
 *   active with its claims for the client it was issued to, inactive otherwise.
 */
const POST_ONLY = new Set(['/token', '/token/introspection', '/token/revocation', '/request']);
const BODY_LIMIT = 56 * 1024; // oidc-provider's own limit
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

export function applyProtocolConformance(provider: Provider, publicJwks: jose.JSONWebKeySet) {
  const keys = jose.createLocalJWKSet(publicJwks);

  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as KoaContextWithOIDC;
    if (POST_ONLY.has(ctx.path) && ctx.method !== 'POST') {
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

    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (!body || typeof body !== 'object' || !('error' in body)) return;
    if (body.error === 'invalid_request' && body.error_description === 'no client authentication mechanism provided') {
      ctx.status = 401;
      body.error = 'invalid_client';
      ctx.set('WWW-Authenticate', 'Basic realm="token endpoint"');
    } else if (body.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
      body.error = 'unauthorized_client';
    } else if (ctx.path === '/token/introspection' && body.error === 'unsupported_token_type') {
      ctx.status = 200;
      ctx.body = await introspectJwt(ctx, keys, provider.issuer);
    }
  });
}

async function introspectJwt(ctx: KoaContextWithOIDC, keys: ReturnType<typeof jose.createLocalJWKSet>, issuer: string) {
  const token = ctx.oidc?.params?.token;
  const clientId = ctx.oidc?.client?.clientId;
  if (typeof token !== 'string' || !clientId) return { active: false };
  try {
    const { payload } = await jose.jwtVerify(token, keys, { issuer, typ: 'at+jwt' });
    if (payload.client_id !== clientId) return { active: false };
    return { active: true, token_type: 'Bearer', ...payload };
  } catch {
    return { active: false };
  }
}

/**
 * Malformed and missing parameters at every endpoint: each answers with the error the RFCs
 * define (exact status and `error` code), never with a 500. Plain fetch (and raw node:http for
 * paths fetch would normalise), so the test controls the bytes on the wire.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { HttpBrowser, formAction, hiddenInput, signInOverHttp } from './support/browserless';
import { csrfToken } from '@/lib/oidc/interactions';

const run = requirement('postgres');

interface Reply {
  url: string;
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: Record<string, unknown> | undefined;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const pkcePair = () => {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
};
/** Parameters of a redirect, from the query or (for fragment response modes) the fragment. */
function redirectParams(location: string): URLSearchParams {
  const url = new URL(location);
  return url.hash.length > 1 ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}
const alertText = (html: string) => /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];

describe.runIf(run)('malformed and missing parameters get the RFC error, never a 500', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let issuer: string;
  let webAuth: string;
  let machineAuth: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('bad');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
    webAuth = basic(seeded.web.clientId, seeded.web.clientSecret);
    machineAuth = basic(seeded.machine.clientId, seeded.machine.clientSecret);
  });
  afterAll(async () => env?.teardown());

  /** fetch without following redirects; every response in this file must be below 500. */
  async function send(url: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> | string; body?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    let body = init.body;
    if (init.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = typeof init.form === 'string' ? init.form : new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    expect(response.status, `${init.method ?? 'request'} ${url} answered ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
    return { url, status: response.status, headers: response.headers, text, location: response.headers.get('location'), json };
  }

  /** A request whose path goes on the wire exactly as written (fetch would resolve `..` and `%2e%2e`). */
  function raw(path: string, method = 'GET'): Promise<{ status: number; body: string; location?: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: env.server.port, path, method, headers: { host: `localhost:${env.server.port}`, accept: 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          expect(res.statusCode, `${method} ${path} answered ${res.statusCode}: ${body.slice(0, 300)}`).toBeLessThan(500);
          resolve({ status: res.statusCode!, body, location: res.headers.location });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  const token = (form: Record<string, string> | string, headers: Record<string, string> = {}) => send(`${issuer}/token`, { form, headers });

  function expectOAuthError(reply: Reply, status: number | number[], error: string) {
    const statuses = Array.isArray(status) ? status : [status];
    expect(statuses, `${reply.url}: ${reply.status} ${reply.text.slice(0, 300)}`).toContain(reply.status);
    // RFC 6749 §5.2: the error is a JSON object with an `error` member.
    expect(reply.headers.get('content-type') ?? '').toMatch(/^application\/json/);
    expect(reply.json?.error, reply.text.slice(0, 300)).toBe(error);
  }

  function authorizeUrl(params: Record<string, string | undefined>) {
    const url = new URL(`${issuer}/auth`);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
    return url.href;
  }

  /** A browser-like GET of the authorization endpoint. */
  const authorize = (params: Record<string, string | undefined>) => send(authorizeUrl(params), { headers: { accept: 'text/html' } });

  /** The web client's usual authorization request, with overrides (undefined removes a parameter). */
  function webRequest(overrides: Record<string, string | undefined> = {}) {
    return { client_id: seeded.web.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: pkcePair().challenge, code_challenge_method: 'S256', state: 'st-123', ...overrides };
  }

  /** Asserts an error delivered to the client's redirect_uri (RFC 6749 §4.1.2.1) and returns its parameters. */
  function expectErrorRedirect(reply: Reply, error: string, state = 'st-123') {
    expect(reply.status, reply.text.slice(0, 300)).toBe(303);
    expect(reply.location, 'the error must go back to the client').toBeTruthy();
    expect(reply.location!.startsWith(`${REDIRECT_URI}?`) || reply.location!.startsWith(`${REDIRECT_URI}#`), reply.location!).toBe(true);
    const params = redirectParams(reply.location!);
    expect(params.get('error'), reply.location!).toBe(error);
    expect(params.get('state')).toBe(state);
    expect(params.get('iss')).toBe(issuer); // RFC 9207
    expect(params.get('code')).toBeNull();
    return params;
  }

  /** Asserts an error page for the resource owner with no redirect to the client (RFC 6749 §4.1.2.1, first paragraph). */
  function expectErrorPage(reply: Reply) {
    expect(reply.status, reply.text.slice(0, 300)).toBe(400);
    expect(reply.location).toBeNull();
    expect(reply.headers.get('content-type') ?? '').toMatch(/^text\/html/);
    expect(reply.text).toContain('We could not complete this request');
    expect(reply.text).not.toContain('evil.example');
  }

  /** A fresh authorization code for the web client, bound to a PKCE challenge. */
  async function webCode(browser = new HttpBrowser(), extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkcePair();
    const url = authorizeUrl({ ...webRequest({ code_challenge: challenge, state: 'code', ...extra }) });
    const callback = await signInOverHttp(browser, url, { username: 'alice', password: seeded.user.password, redirectUri: REDIRECT_URI });
    const code = callback.searchParams.get('code');
    expect(code, callback.href).toBeTruthy();
    return { code: code!, verifier, browser };
  }

  describe('token endpoint (RFC 6749 §5.2)', () => {
    it('missing grant_type → 400 invalid_request', async () => {
      expectOAuthError(await token({}, { authorization: webAuth }), 400, 'invalid_request');
      expectOAuthError(await token({ scope: 'api:read' }, { authorization: machineAuth }), 400, 'invalid_request');
    });

    it('unknown grant_type → 400 unsupported_grant_type', async () => {
      expectOAuthError(await token({ grant_type: 'urn:example:no-such-grant' }, { authorization: machineAuth }), 400, 'unsupported_grant_type');
      expectOAuthError(await token({ grant_type: 'password', username: 'alice', password: seeded.user.password }, { authorization: webAuth }), 400, 'unsupported_grant_type');
    });

    it('a repeated parameter → 400 invalid_request (§3.2)', async () => {
      expectOAuthError(await token('grant_type=client_credentials&grant_type=client_credentials', { authorization: machineAuth }), 400, 'invalid_request');
    });

    it('a confidential client that does not authenticate → 401 invalid_client', async () => {
      // client_id alone identifies the client but does not authenticate it.
      const reply = await token({ grant_type: 'client_credentials', client_id: seeded.machine.clientId });
      expectOAuthError(reply, 401, 'invalid_client');
    });

    it('no client authentication at all → invalid_client ("no client authentication included", §5.2)', async () => {
      const reply = await token({ grant_type: 'client_credentials', scope: 'api:read' });
      expectOAuthError(reply, [400, 401], 'invalid_client');
    });

    it('a wrong client secret → 401 invalid_client with WWW-Authenticate: Basic', async () => {
      const reply = await token({ grant_type: 'client_credentials' }, { authorization: basic(seeded.machine.clientId, 'not-the-secret') });
      expectOAuthError(reply, 401, 'invalid_client');
      // §5.2: a client that authenticated with the Authorization header gets 401 and a matching challenge.
      expect(reply.headers.get('www-authenticate') ?? '').toMatch(/^Basic /);
      expect(reply.text).not.toContain(seeded.machine.clientSecret);
    });

    it('an unknown client_id, or a wrong secret in the body → 401 invalid_client', async () => {
      expectOAuthError(await token({ grant_type: 'client_credentials' }, { authorization: basic('no-such-client', 'whatever') }), 401, 'invalid_client');
      // A wrong secret sent in the body (client_secret_post) fails the same way.
      expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, client_id: seeded.web.clientId, client_secret: 'wrong' }), 401, 'invalid_client');
    });

    it('two client authentication mechanisms at once → 400 invalid_request', async () => {
      const reply = await token({ grant_type: 'client_credentials', client_secret: seeded.machine.clientSecret, client_id: seeded.machine.clientId }, { authorization: machineAuth });
      expectOAuthError(reply, 400, 'invalid_request');
    });

    it('malformed Basic headers → 400 invalid_request or 401 invalid_client, never a 500', async () => {
      const malformed = [
        'Basic !!!not-base64!!!',
        `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
        `Basic ${Buffer.from(`${seeded.machine.clientId}:`).toString('base64')}`,
        `Basic ${Buffer.from('%zz:%zz').toString('base64')}`,
        `Basic ${Buffer.from(':secret-without-id').toString('base64')}`,
        'Basic',
        'Basic a b',
        'Bearer some-token',
        `Basic ${'A'.repeat(8000)}`,
      ];
      for (const authorization of malformed) {
        const reply = await token({ grant_type: 'client_credentials' }, { authorization });
        expect([400, 401], `${authorization.slice(0, 40)} → ${reply.status} ${reply.text.slice(0, 200)}`).toContain(reply.status);
        expect(['invalid_request', 'invalid_client'], `${authorization.slice(0, 40)} → ${reply.text.slice(0, 200)}`).toContain(reply.json?.error);
      }
    });

    it('authorization_code with an unknown code → 400 invalid_grant', async () => {
      const reply = await token({ grant_type: 'authorization_code', code: 'this-code-was-never-issued', redirect_uri: REDIRECT_URI, code_verifier: pkcePair().verifier }, { authorization: webAuth });
      expectOAuthError(reply, 400, 'invalid_grant');
    });

    it('authorization_code without the code parameter → 400 invalid_request', async () => {
      expectOAuthError(await token({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI }, { authorization: webAuth }), 400, 'invalid_request');
    });

    it('a PKCE-bound code redeemed without or with a wrong code_verifier → 400 invalid_grant (RFC 7636 §4.6)', async () => {
      const browser = new HttpBrowser();
      const first = await webCode(browser);
      expectOAuthError(await token({ grant_type: 'authorization_code', code: first.code, redirect_uri: REDIRECT_URI }, { authorization: webAuth }), 400, 'invalid_grant');

      const second = await webCode(browser);
      const wrong = pkcePair().verifier;
      expectOAuthError(await token({ grant_type: 'authorization_code', code: second.code, redirect_uri: REDIRECT_URI, code_verifier: wrong }, { authorization: webAuth }), 400, 'invalid_grant');

      // A syntactically invalid verifier (RFC 7636 §4.1: 43–128 unreserved characters).
      const third = await webCode(browser);
      const reply = await token({ grant_type: 'authorization_code', code: third.code, redirect_uri: REDIRECT_URI, code_verifier: 'short' }, { authorization: webAuth });
      expect([400], reply.text).toContain(reply.status);
      expect(['invalid_grant', 'invalid_request']).toContain(reply.json?.error);
    });

    it('a code redeemed with a different redirect_uri → 400 invalid_grant (§4.1.3)', async () => {
      const { code, verifier } = await webCode();
      const reply = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/other', code_verifier: verifier }, { authorization: webAuth });
      expectOAuthError(reply, 400, 'invalid_grant');
    });

    it('client_credentials for a client not registered for it → 400 unauthorized_client', async () => {
      expectOAuthError(await token({ grant_type: 'client_credentials' }, { authorization: webAuth }), 400, 'unauthorized_client');
      // …and the machine client may not use the authorization code grant.
      expectOAuthError(await token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI }, { authorization: machineAuth }), 400, 'unauthorized_client');
    });

    it('refresh_token grant with a garbage token → 400 invalid_grant', async () => {
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: 'garbage-refresh-token' }, { authorization: webAuth }), 400, 'invalid_grant');
      expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: 'eyJhbGciOiJub25lIn0.e30.' }, { authorization: webAuth }), 400, 'invalid_grant');
    });

    it('refresh_token grant without refresh_token → 400 invalid_request', async () => {
      expectOAuthError(await token({ grant_type: 'refresh_token' }, { authorization: webAuth }), 400, 'invalid_request');
    });

    it('a JSON body instead of a form → 400 invalid_request (§4.1.3: application/x-www-form-urlencoded)', async () => {
      const reply = await send(`${issuer}/token`, { method: 'POST', headers: { authorization: machineAuth, 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }) });
      expectOAuthError(reply, 400, 'invalid_request');
    });

    it('a malformed scope or mangled form → 400 with the matching error, not a 500', async () => {
      // RFC 6749 §5.2: invalid_scope covers a "malformed" scope; %E0%A4%A is not valid UTF-8.
      expectOAuthError(await token('grant_type=client_credentials&scope=%E0%A4%A', { authorization: machineAuth }), 400, 'invalid_scope');
      expectOAuthError(await token('grant_type=client_credentials&scope=api:read%00', { authorization: machineAuth }), 400, 'invalid_scope');
      const mangled = await token('grant_type=%zz&%%%=&=&&', { authorization: machineAuth });
      expect(mangled.status).toBe(400);
      expect(['invalid_request', 'unsupported_grant_type']).toContain(mangled.json?.error);
    });

    it('GET on the token endpoint → 405 or 400 invalid_request, not a 500 (§3.2: POST only)', async () => {
      const reply = await send(`${issuer}/token?grant_type=client_credentials`, { headers: { authorization: machineAuth, accept: 'application/json' } });
      if (reply.status === 405) {
        expect(reply.headers.get('allow') ?? '').toMatch(/POST/); // RFC 9110 §15.5.6
      } else {
        expectOAuthError(reply, 400, 'invalid_request');
      }
    });

    it('other methods on the POST-only endpoints → 405 or 400 invalid_request, not 404 or 500', async () => {
      for (const path of ['/token', '/token/introspection', '/token/revocation', '/request']) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const reply = await send(`${issuer}${path}`, { method, headers: { authorization: webAuth, accept: 'application/json' } });
          const where = `${method} ${path} → ${reply.status} ${reply.text.slice(0, 100)}`;
          if (reply.status === 405) expect(reply.headers.get('allow') ?? '', where).toMatch(/POST/);
          else {
            expect(reply.status, where).toBe(400);
            expect(reply.json?.error, where).toBe('invalid_request');
          }
        }
      }
    });

    it('a 1 MB body → 4xx, not a 500', async () => {
      const reply = await token({ grant_type: 'client_credentials', scope: 'a'.repeat(1024 * 1024) }, { authorization: machineAuth });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      if (reply.status === 400) expect(reply.json?.error).toBe('invalid_request');
      else expect(reply.status).toBe(413);
      // The server is still healthy afterwards.
      const after = await token({ grant_type: 'client_credentials', scope: 'api:read' }, { authorization: machineAuth });
      expect(after.status).toBe(200);
    });

    it('client_credentials with an unknown scope → 400 invalid_scope', async () => {
      // Only unknown scopes: nothing can be issued, and a token without any scope (and no `scope`
      // member in the response although it differs from the request, §3.3) is not an answer.
      expectOAuthError(await token({ grant_type: 'client_credentials', scope: 'no-such-scope' }, { authorization: machineAuth }), 400, 'invalid_scope');
      // A known and an unknown scope: invalid_scope, or (§3.3 lets the server ignore part of the
      // request) a token for the known scope only, with `scope` in the response saying so.
      const mixed = await token({ grant_type: 'client_credentials', scope: 'api:read no-such-scope' }, { authorization: machineAuth });
      if (mixed.status === 200) expect(mixed.json?.scope).toBe('api:read');
      else expectOAuthError(mixed, 400, 'invalid_scope');
    });

    it('client_credentials for a foreign resource → 400 invalid_target (RFC 8707 §2)', async () => {
      expectOAuthError(await token({ grant_type: 'client_credentials', scope: 'api:read', resource: 'https://evil.example/' }, { authorization: machineAuth }), 400, 'invalid_target');
      // RFC 8707 §2: the resource MUST be an absolute URI without a fragment.
      expectOAuthError(await token({ grant_type: 'client_credentials', scope: 'api:read', resource: 'not a uri' }, { authorization: machineAuth }), 400, 'invalid_target');
      expectOAuthError(await token({ grant_type: 'client_credentials', scope: 'api:read', resource: `${issuer}/api#frag` }, { authorization: machineAuth }), 400, 'invalid_target');
    });

    it('the well-formed request still succeeds (the errors above are not a broken endpoint)', async () => {
      const reply = await token({ grant_type: 'client_credentials', scope: 'api:read' }, { authorization: machineAuth });
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ token_type: 'Bearer', scope: 'api:read' });
      expect(reply.headers.get('cache-control')).toBe('no-store'); // §5.1
    });
  });

  describe('authorization endpoint (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6)', () => {
    it('an unregistered redirect_uri → 400 error page, no redirect', async () => {
      expectErrorPage(await authorize(webRequest({ redirect_uri: 'https://evil.example/callback' })));
      expectErrorPage(await authorize(webRequest({ redirect_uri: `${REDIRECT_URI}/../evil` })));
      expectErrorPage(await authorize(webRequest({ redirect_uri: `${REDIRECT_URI}?extra=1` })));
      expectErrorPage(await authorize(webRequest({ redirect_uri: 'not a url' })));
    });

    it('an unknown client_id → 400 error page, no redirect', async () => {
      expectErrorPage(await authorize(webRequest({ client_id: 'no-such-client' })));
      expectErrorPage(await authorize(webRequest({ client_id: undefined })));
      // The machine client has no redirect URIs at all.
      expectErrorPage(await authorize(webRequest({ client_id: seeded.machine.clientId })));
    });

    it('missing response_type → error=invalid_request delivered to the registered redirect_uri', async () => {
      expectErrorRedirect(await authorize(webRequest({ response_type: undefined })), 'invalid_request');
    });

    it('response_type=token → error=unsupported_response_type', async () => {
      expectErrorRedirect(await authorize(webRequest({ response_type: 'token' })), 'unsupported_response_type');
      expectErrorRedirect(await authorize(webRequest({ response_type: 'no-such-type' })), 'unsupported_response_type');
    });

    it('a public client without code_challenge → error=invalid_request (RFC 7636 §4.4.1)', async () => {
      const params = expectErrorRedirect(await authorize(webRequest({ client_id: seeded.spa.clientId, code_challenge: undefined, code_challenge_method: undefined })), 'invalid_request');
      expect(params.get('error_description') ?? '').toMatch(/PKCE|code_challenge/);
    });

    it('code_challenge_method=plain (or unknown) → error=invalid_request (RFC 7636 §4.4.1)', async () => {
      expectErrorRedirect(await authorize(webRequest({ client_id: seeded.spa.clientId, code_challenge: pkcePair().verifier, code_challenge_method: 'plain' })), 'invalid_request');
      expectErrorRedirect(await authorize(webRequest({ code_challenge_method: 'plain' })), 'invalid_request');
      expectErrorRedirect(await authorize(webRequest({ code_challenge_method: 'S512' })), 'invalid_request');
      // A challenge that is not a BASE64URL(SHA-256) value (RFC 7636 §4.2: 43–128 characters).
      expectErrorRedirect(await authorize(webRequest({ code_challenge: 'too-short' })), 'invalid_request');
    });

    it('prompt=none without a session → error=login_required (OIDC Core §3.1.2.6)', async () => {
      expectErrorRedirect(await authorize(webRequest({ prompt: 'none' })), 'login_required');
    });

    it('a repeated parameter → error=invalid_request', async () => {
      const url = `${authorizeUrl(webRequest())}&scope=openid`;
      const reply = await send(url, { headers: { accept: 'text/html' } });
      // The client and redirect_uri are valid, so the error goes back to the client.
      expectErrorRedirect(reply, 'invalid_request');
    });

    it('unknown scope values are not granted (§3.3: ignored, and the issued scope is returned)', async () => {
      // The request proceeds to sign-in: unknown scopes are dropped rather than failing it…
      const start = await authorize(webRequest({ scope: 'openid no-such-scope' }));
      expect(start.status).toBe(303);
      expect(start.location ?? '').toMatch(new RegExp(`^/t/${seeded.slug}/interaction/`));
      // …and the issued token's scope, returned because it differs, does not contain them.
      const { code, verifier } = await webCode(new HttpBrowser(), { scope: 'openid no-such-scope' });
      const reply = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, { authorization: webAuth });
      expect(reply.status, reply.text).toBe(200);
      expect(String(reply.json?.scope).split(' ')).toContain('openid');
      expect(String(reply.json?.scope).split(' ')).not.toContain('no-such-scope');
    });

    it('a scope without openid is refused or answered without an ID token, never a 500', async () => {
      const reply = await authorize(webRequest({ scope: 'no-such-scope' }));
      if (reply.location?.startsWith(REDIRECT_URI)) {
        expect(['invalid_scope', 'invalid_request']).toContain(redirectParams(reply.location).get('error'));
        expect(redirectParams(reply.location).get('state')).toBe('st-123');
      } else {
        expect(reply.status).toBe(303);
        expect(reply.location ?? '').toMatch(/\/interaction\//);
      }
    });

    it('echoes state unchanged, including awkward characters', async () => {
      const state = 'a b&c=d/é?<script>';
      expectErrorRedirect(await authorize(webRequest({ prompt: 'none', state })), 'login_required', state);
    });

    it('an oversized or garbage request → 4xx, never a 500', async () => {
      const reply = await authorize(webRequest({ state: 'x'.repeat(20_000) }));
      expect(reply.status).toBeGreaterThanOrEqual(300);
      const garbage = await send(`${issuer}/auth?%zz=%zz&client_id=%E0%A4%A`, { headers: { accept: 'text/html' } });
      expect(garbage.status).toBe(400);
      expect(garbage.location).toBeNull();
    });
  });

  describe('userinfo (RFC 6750 §3.1)', () => {
    it('no token → 401 with a Bearer challenge and no error code', async () => {
      const reply = await send(`${issuer}/me`);
      expect(reply.status).toBe(401);
      const challenge = reply.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer\b/);
      // §3.1: a request without authentication information SHOULD NOT get an error code.
      expect(challenge).not.toMatch(/error=/);
    });

    it('a garbage bearer token → 401 invalid_token', async () => {
      for (const bad of ['garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a'.repeat(5000)]) {
        const reply = await send(`${issuer}/me`, { headers: { authorization: `Bearer ${bad}` } });
        expect(reply.status).toBe(401);
        expect(reply.json?.error).toBe('invalid_token');
        expect(reply.headers.get('www-authenticate') ?? '').toMatch(/^Bearer .*error="invalid_token"/);
      }
    });

    it('a client-credentials token (no end-user) is not accepted at userinfo', async () => {
      const cc = await token({ grant_type: 'client_credentials', scope: 'api:read' }, { authorization: machineAuth });
      const reply = await send(`${issuer}/me`, { headers: { authorization: `Bearer ${String(cc.json?.access_token)}` } });
      expect(reply.status).toBe(401);
      expect(reply.json?.error).toBe('invalid_token');
    });

    it('a token sent two ways at once → 400 invalid_request (§2)', async () => {
      const reply = await send(`${issuer}/me`, { form: { access_token: 'abc' }, headers: { authorization: 'Bearer abc' } });
      expect(reply.status).toBe(400);
      expect(reply.json?.error).toBe('invalid_request');
    });
  });

  describe('introspection (RFC 7662)', () => {
    const introspect = (form: Record<string, string>, headers: Record<string, string> = {}) => send(`${issuer}/token/introspection`, { form, headers });

    it('a confidential client that does not authenticate → 401 invalid_client (§2.1)', async () => {
      expectOAuthError(await introspect({ token: 'x', client_id: seeded.web.clientId }), 401, 'invalid_client');
      expectOAuthError(await introspect({ token: 'x' }, { authorization: basic(seeded.web.clientId, 'wrong') }), 401, 'invalid_client');
    });

    it('no client authentication at all → 401 invalid_client (§2.1)', async () => {
      expectOAuthError(await introspect({ token: 'x' }), 401, 'invalid_client');
    });

    it('missing token parameter → 400 invalid_request', async () => {
      expectOAuthError(await introspect({}, { authorization: webAuth }), 400, 'invalid_request');
    });

    it('an unknown token → 200 {"active":false}', async () => {
      const reply = await introspect({ token: 'no-such-token' }, { authorization: webAuth });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ active: false });
      const hinted = await introspect({ token: 'no-such-token', token_type_hint: 'no-such-hint' }, { authorization: webAuth });
      expect(hinted.status).toBe(200);
      expect(hinted.json).toEqual({ active: false });
    });
  });

  describe('revocation (RFC 7009)', () => {
    const revoke = (form: Record<string, string>, headers: Record<string, string> = {}) => send(`${issuer}/token/revocation`, { form, headers });

    it('an unknown token → 200 (§2.2)', async () => {
      const reply = await revoke({ token: 'no-such-token' }, { authorization: webAuth });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('');
    });

    it('missing token → 400 invalid_request', async () => {
      expectOAuthError(await revoke({}, { authorization: webAuth }), 400, 'invalid_request');
    });

    it('an unsupported token_type_hint → 200 or 400 unsupported_token_type (§2.2.1)', async () => {
      const reply = await revoke({ token: 'no-such-token', token_type_hint: 'no-such-hint' }, { authorization: webAuth });
      if (reply.status === 200) expect(reply.text).toBe('');
      else expectOAuthError(reply, 400, 'unsupported_token_type');
    });

    it('no or wrong client authentication → 401 invalid_client (§2.1)', async () => {
      expectOAuthError(await revoke({ token: 'x' }, { authorization: basic(seeded.web.clientId, 'wrong') }), 401, 'invalid_client');
      expectOAuthError(await revoke({ token: 'x', client_id: seeded.web.clientId }), 401, 'invalid_client');
    });

    it('no client authentication at all → invalid_client (§2.1, RFC 6749 §5.2)', async () => {
      expectOAuthError(await revoke({ token: 'x' }), [400, 401], 'invalid_client');
    });
  });

  describe('pushed authorization requests (RFC 9126)', () => {
    const par = (form: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
      send(`${issuer}/request`, { form: Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>, headers });

    it('a confidential client that does not authenticate → 401 invalid_client (§2.1)', async () => {
      expectOAuthError(await par({ ...webRequest(), client_id: seeded.web.clientId }), 401, 'invalid_client');
      expectOAuthError(await par(webRequest(), { authorization: basic(seeded.web.clientId, 'wrong') }), 401, 'invalid_client');
    });

    it('no client authentication at all → invalid_client (§2.1, RFC 6749 §5.2)', async () => {
      expectOAuthError(await par({ response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI }), [400, 401], 'invalid_client');
    });

    it('bad authorization parameters → 400 JSON errors, nothing stored (§2.3)', async () => {
      expectOAuthError(await par(webRequest({ response_type: 'token' }), { authorization: webAuth }), 400, 'unsupported_response_type');
      expectOAuthError(await par(webRequest({ code_challenge_method: 'plain' }), { authorization: webAuth }), 400, 'invalid_request');
      expectOAuthError(await par(webRequest({ client_id: seeded.spa.clientId, code_challenge: undefined, code_challenge_method: undefined })), 400, 'invalid_request');
      const foreign = await par(webRequest({ redirect_uri: 'https://evil.example/callback' }), { authorization: webAuth });
      expect(foreign.status).toBe(400);
      expect(['invalid_request', 'invalid_redirect_uri']).toContain(foreign.json?.error);
      // §2.1: request_uri must not be sent to the PAR endpoint.
      const nested = await par(webRequest({ request_uri: 'urn:ietf:params:oauth:request_uri:x' }), { authorization: webAuth });
      expect(nested.status).toBe(400);
      expect(['invalid_request', 'request_uri_not_supported']).toContain(nested.json?.error);
    });

    it('an unknown request_uri at the authorization endpoint → invalid_request_uri, no code (§4)', async () => {
      const reply = await authorize({ client_id: seeded.web.clientId, request_uri: 'urn:ietf:params:oauth:request_uri:no-such-request', state: 'st-123' });
      // The client has one registered redirect_uri, so the error may go there; or it is shown to the user.
      if (reply.location) expectErrorRedirect(reply, 'invalid_request_uri');
      else expectErrorPage(reply);
    });
  });

  describe('RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)', () => {
    it('a garbage id_token_hint → 400, no redirect', async () => {
      const reply = await send(`${issuer}/session/end?id_token_hint=garbage&post_logout_redirect_uri=${encodeURIComponent('http://127.0.0.1:9/')}`, { headers: { accept: 'text/html' } });
      expect(reply.status).toBe(400);
      expect(reply.location).toBeNull();
    });

    it('an unregistered post_logout_redirect_uri → 400, no redirect to it (§3)', async () => {
      const withClient = await send(`${issuer}/session/end?client_id=${seeded.web.clientId}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { headers: { accept: 'text/html' } });
      expect(withClient.status).toBe(400);
      expect(withClient.location).toBeNull();
      expect(withClient.text).not.toContain('evil.example');
      // Without client_id or id_token_hint the OP cannot check the URI against any registration:
      // it MUST NOT redirect there (§3). It may refuse, or ask for confirmation and then not redirect.
      const browser = new HttpBrowser();
      const anonymous = await browser.request(`${issuer}/session/end?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}&state=s`, { headers: { accept: 'text/html' } });
      const html = await anonymous.text();
      expect(anonymous.status).toBeLessThan(500);
      expect(anonymous.headers.get('location')).toBeNull();
      if (anonymous.status === 200) {
        const xsrf = hiddenInput(html, 'xsrf')!;
        const action = /action="([^"]+)"/.exec(html)![1];
        const done = await browser.request(new URL(action, issuer).href, { form: { xsrf, logout: 'yes' }, headers: { accept: 'text/html' } });
        expect(done.status).toBeLessThan(500);
        expect(done.headers.get('location') ?? '').not.toContain('evil.example');
      } else {
        expect(anonymous.status).toBe(400);
      }
      const unknownClient = await send(`${issuer}/session/end?client_id=no-such-client`, { headers: { accept: 'text/html' } });
      expect(unknownClient.status).toBe(400);
      expect(unknownClient.location).toBeNull();
    });

    it('a logout confirmation without its xsrf token → 400, not a 500', async () => {
      for (const form of [{ logout: 'yes' }, { xsrf: 'wrong', logout: 'yes' }] as Record<string, string>[]) {
        const reply = await send(`${issuer}/session/end/confirm`, { form, headers: { accept: 'text/html' } });
        expect(reply.status).toBe(400);
        expect(reply.location).toBeNull();
      }
    });
  });

  describe('discovery and JWKS', () => {
    it('publishes only public RSA signing keys of at least 2048 bits, RS256, unique kids', async () => {
      const reply = await send(`${issuer}/jwks`);
      expect(reply.status).toBe(200);
      const keys = (reply.json?.keys ?? []) as Record<string, string>[];
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) expect(key, `private member ${member}`).not.toHaveProperty(member);
        expect(key.kty).toBe('RSA');
        expect(key.alg).toBe('RS256');
        if (key.use !== undefined) expect(key.use).toBe('sig');
        expect(Buffer.from(key.n, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
        expect(key.kid).toBeTruthy();
      }
      const kids = keys.map((k) => k.kid);
      expect(new Set(kids).size).toBe(kids.length);
    });

    it('advertises only what the provider supports', async () => {
      const reply = await send(`${issuer}/.well-known/openid-configuration`);
      expect(reply.status).toBe(200);
      const doc = reply.json!;
      expect(doc.issuer).toBe(issuer);
      expect(doc.code_challenge_methods_supported).toEqual(['S256']);
      expect(doc.response_types_supported).toEqual(['code']);
      expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256']);
      expect(doc.token_endpoint_auth_methods_supported).toBeInstanceOf(Array);
      // Optional members (RFC 8414 §2); when present they must not offer client_secret_jwt either.
      // Introspection and revocation accept what the token endpoint does, and say so (absent,
      // RFC 8414 §2 would mean client_secret_basic only).
      for (const field of ['token_endpoint_auth_methods_supported', 'introspection_endpoint_auth_methods_supported', 'revocation_endpoint_auth_methods_supported']) {
        expect(doc[field], field).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
      }
      expect(doc.token_endpoint_auth_signing_alg_values_supported ?? []).not.toContain('HS256');
      expect(doc.jwks_uri).toBe(`${issuer}/jwks`);
    });

    it('rejects writes to the discovery and JWKS documents without a 500', async () => {
      for (const path of ['/.well-known/openid-configuration', '/jwks']) {
        const reply = await send(`${issuer}${path}`, { method: 'POST', form: { a: 'b' } });
        expect(reply.status).toBeGreaterThanOrEqual(400);
      }
    });
  });

  describe('sign-in forms', () => {
    /** Starts an authorization request in a browser and returns the login page's form. */
    async function loginPage(browser = new HttpBrowser()) {
      const start = await browser.request(authorizeUrl(webRequest({ state: 'form' })));
      expect(start.status).toBe(303);
      const pageUrl = new URL(start.headers.get('location')!, issuer).href;
      const page = await browser.request(pageUrl);
      const html = await page.text();
      expect(page.status).toBe(200);
      const csrf = hiddenInput(html, 'csrf')!;
      const action = new URL(formAction(html, 'login')!, issuer).href;
      expect(csrf).toBeTruthy();
      return { browser, pageUrl, csrf, action, uid: new URL(pageUrl).pathname.split('/').pop()! };
    }
    const origin = () => env.server.origin;

    async function post(browser: HttpBrowser, url: string, form: Record<string, string>, headers: Record<string, string> = { origin: origin() }) {
      const response = await browser.request(url, { form, headers });
      const text = await response.text();
      expect(response.status, `${url}: ${text.slice(0, 300)}`).toBeLessThan(500);
      return { status: response.status, location: response.headers.get('location'), text };
    }

    async function pageHtml(browser: HttpBrowser, url: string) {
      const response = await browser.request(url);
      expect(response.status).toBe(200);
      return response.text();
    }

    it('a cross-origin form post to the account page or the console is 403, not a 500 from Next', async () => {
      for (const path of [`/t/${seeded.slug}/account`, '/console', '/console/tenants']) {
        for (const origin of ['http://evil.example', `${env.server.origin}.evil.example`]) {
          const response = await fetch(`${env.server.origin}${path}`, {
            method: 'POST',
            headers: { origin, 'next-action': 'x', 'content-type': 'multipart/form-data; boundary=x' },
            body: '--x--\r\n',
            redirect: 'manual',
          });
          expect(response.status, `${path} from ${origin}`).toBe(403);
        }
      }
    });

    it('a username holding U+0000 is a wrong username (303 error=invalid_credentials), not a database error', async () => {
      const { browser, pageUrl, csrf, action } = await loginPage();
      const reply = await post(browser, action, { csrf, username: 'ali\u0000ce', password: seeded.user.password });
      expect([reply.status, reply.location]).toEqual([303, `${pageUrl}?error=invalid_credentials`]);
    });

    it('a bad CSRF token → 303 back to the page with error=invalid_request, and no sign-in', async () => {
      const { browser, pageUrl, action } = await loginPage();
      for (const csrf of ['wrong', '', 'x'.repeat(5000)]) {
        const reply = await post(browser, action, { csrf, username: 'alice', password: seeded.user.password });
        expect(reply.status).toBe(303);
        expect(reply.location).toBe(`${pageUrl}?error=invalid_request`);
      }
      const missing = await post(browser, action, { username: 'alice', password: seeded.user.password });
      expect(missing.location).toBe(`${pageUrl}?error=invalid_request`);
      // Still the login form: the correct password in the refused posts signed nobody in.
      const html = await pageHtml(browser, `${pageUrl}?error=invalid_request`);
      expect(formAction(html, 'login')).toBeTruthy();
      expect(alertText(html)).toBe('This form has expired. Please try again.');
    });

    it('a cross-origin post → 403, and no sign-in', async () => {
      const { browser, pageUrl, action, csrf } = await loginPage();
      const reply = await post(browser, action, { csrf, username: 'alice', password: seeded.user.password }, { origin: 'https://evil.example' });
      expect(reply.status).toBe(403);
      expect(reply.location).toBeNull();
      const html = await pageHtml(browser, pageUrl);
      expect(formAction(html, 'login')).toBeTruthy();
      const abort = await post(browser, action.replace(/\/login$/, '/abort'), { csrf }, { origin: 'null' });
      expect(abort.status).toBe(403);
    });

    it('posts to an unknown interaction → 303 back with an error, no 500', async () => {
      const browser = new HttpBrowser();
      const uid = 'no-such-interaction';
      const base = `${issuer}/interaction/${uid}`;
      for (const step of ['login', 'consent', 'abort']) {
        const withValidCsrf = await post(browser, `${base}/${step}`, { csrf: csrfToken(uid), username: 'alice', password: seeded.user.password, decision: 'allow' });
        expect(withValidCsrf.status, step).toBe(303);
        expect(withValidCsrf.location, step).toBe(`${base}?error=expired`);
        const withBadCsrf = await post(browser, `${base}/${step}`, { csrf: 'wrong' });
        expect(withBadCsrf.status, step).toBe(303);
        expect(withBadCsrf.location, step).toBe(`${base}?error=invalid_request`);
      }
      // A real interaction without its browser cookie is just as unknown.
      const { action, csrf, pageUrl } = await loginPage();
      const stranger = await post(new HttpBrowser(), action, { csrf, username: 'alice', password: seeded.user.password });
      expect(stranger.location).toBe(`${pageUrl}?error=expired`);
      // The page for an unknown interaction renders, without a form.
      const html = await pageHtml(browser, base);
      expect(html).toContain('This sign-in request has expired');
      expect(formAction(html, 'login')).toBeUndefined();
    });

    it('odd bodies on the form endpoints → 303/4xx, never a 500', async () => {
      const { action, browser } = await loginPage();
      for (const [contentType, body] of [
        ['application/json', '{"csrf":"x"}'],
        ['multipart/form-data; boundary=broken', '--broken\r\nnot a part'],
        ['application/x-www-form-urlencoded', '%zz=%%&&=='],
        ['text/plain', 'hello'],
      ]) {
        const response = await fetch(action, { method: 'POST', headers: { 'content-type': contentType, origin: origin(), cookie: browser.jar.header(action) }, body, redirect: 'manual' });
        expect(response.status, `${contentType}: ${await response.text()}`).toBeLessThan(500);
        // Not a form of ours (or no CSRF token in it): back to the page, which says the form expired.
        expect(response.status, contentType).toBe(303);
        expect(response.headers.get('location'), contentType).toMatch(/\?error=invalid_request$/);
      }
    });

    it('an oversized form → 413; another method than POST → 405 with Allow: POST', async () => {
      const { action, browser } = await loginPage();
      const huge = await post(browser, action, { csrf: 'x', username: 'alice', password: 'p'.repeat(20_000) });
      expect(huge.status).toBe(413);
      // The same without a Content-Length (chunked): refused while streaming, still answered.
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = http.request(action, { method: 'POST', headers: { origin: origin(), 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write(`p${i}=${'x'.repeat(4096)}&`);
        req.end();
      });
      expect(streamed).toBe(413);
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await fetch(action, { method, headers: { origin: origin() }, redirect: 'manual' });
        expect(response.status, method).toBe(405);
        expect(response.headers.get('allow'), method).toBe('POST');
      }
    });

    it('a wrong password and an unknown username give byte-identical answers (no user enumeration)', async () => {
      const { browser, pageUrl, action, csrf } = await loginPage();
      const wrongPassword = await post(browser, action, { csrf, username: 'alice', password: `${seeded.user.password}-wrong` });
      const htmlAfterWrongPassword = await pageHtml(browser, wrongPassword.location!);
      const unknownUser = await post(browser, action, { csrf, username: 'mallory', password: seeded.user.password });
      const htmlAfterUnknownUser = await pageHtml(browser, unknownUser.location!);
      const unknownEmail = await post(browser, action, { csrf, username: 'nobody@example.com', password: 'x' });

      expect(wrongPassword.status).toBe(303);
      expect(wrongPassword.location).toBe(`${pageUrl}?error=invalid_credentials`);
      expect(unknownUser.location).toBe(wrongPassword.location);
      expect(unknownEmail.location).toBe(wrongPassword.location);
      expect(alertText(htmlAfterWrongPassword)).toBe('Incorrect username or password.');
      expect(alertText(htmlAfterUnknownUser)).toBe(alertText(htmlAfterWrongPassword));
      expect(htmlAfterUnknownUser).toBe(htmlAfterWrongPassword);
      // Still on the login form, and the right password still works afterwards.
      expect(formAction(htmlAfterUnknownUser, 'login')).toBeTruthy();
      const ok = await post(browser, action, { csrf, username: 'alice', password: seeded.user.password });
      expect(ok.status).toBe(303);
      expect(ok.location).not.toContain('error=');
    });
  });

  describe('tenant paths', () => {
    it('an unknown tenant → 404 JSON invalid_request', async () => {
      for (const path of ['/.well-known/openid-configuration', '/jwks', '/auth?client_id=x', '/me']) {
        const reply = await send(`${env.server.origin}/t/no-such-tenant${path}`);
        expect(reply.status, path).toBe(404);
        expect(reply.json, path).toMatchObject({ error: 'invalid_request' });
      }
      const post = await send(`${env.server.origin}/t/no-such-tenant/token`, { form: { grant_type: 'client_credentials' }, headers: { authorization: machineAuth } });
      expect(post.status).toBe(404);
      expect(post.json).toMatchObject({ error: 'invalid_request' });
    });

    it('an uppercase slug is not the tenant (slugs are lowercase) → 4xx', async () => {
      const reply = await send(`${env.server.origin}/t/${seeded.slug.toUpperCase()}/.well-known/openid-configuration`);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.text).not.toContain(`"issuer"`);
    });

    it('path traversal and odd slugs → 4xx, never a 500', async () => {
      const paths = [
        '/t/../admin/.well-known/openid-configuration',
        '/t/%2e%2e/admin/.well-known/openid-configuration',
        '/t/%2E%2E/%2E%2E/etc/passwd',
        '/t/..%2fadmin/.well-known/openid-configuration',
        `/t/${seeded.slug}/../../etc/passwd`,
        `/t/${seeded.slug}/%2e%2e/%2e%2e/etc/passwd`,
        `/t/${seeded.slug}%2f..%2f..%2fetc/jwks`,
        `/t/${seeded.slug}/%2e%2e/${seeded.slug}/jwks`,
        '/t/a%00b/.well-known/openid-configuration',
        '/t/%ff%fe/jwks',
        `/t/${'a'.repeat(300)}/jwks`,
        '/t/-bad-/jwks',
        `/t/${seeded.slug.toUpperCase()}/jwks`,
      ];
      for (const path of paths) {
        for (const method of ['GET', 'POST']) {
          const reply = await raw(path, method);
          expect(reply.status, `${method} ${path}: ${reply.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          expect(reply.body, path).not.toContain('root:');
          expect(reply.body, path).not.toContain('"keys"');
        }
      }
      for (const path of ['/t/%2e%2e/token', `/t/${seeded.slug}/../token`]) {
        const reply = await raw(path, 'POST');
        expect(reply.status, path).toBeGreaterThanOrEqual(400);
      }
    });

    it('an empty slug or a protocol-relative path is at most a same-origin redirect', async () => {
      for (const path of ['/t//jwks', '//evil.example/t/x', '///evil.example/t/x']) {
        const reply = await raw(path);
        if (reply.status >= 300 && reply.status < 400) {
          expect(reply.location, path).toMatch(/^\/[^/\\]/); // a path on this origin, not //host
        } else {
          expect(reply.status, path).toBeGreaterThanOrEqual(400);
        }
      }
    });

    it('odd interaction ids render the expired page without touching anything else', async () => {
      for (const uid of ['..%2f..%2f..%2fetc%2fpasswd', '%00', '%2e%2e', 'x'.repeat(2000)]) {
        const reply = await raw(`/t/${seeded.slug}/interaction/${uid}`);
        expect(reply.status, uid).toBeLessThan(500);
        expect(reply.body, uid).not.toContain('root:');
        if (reply.status === 200) expect(reply.body, uid).toContain('This sign-in request has expired');
      }
    });
  });
});

describe.runIf(requirement('postgres'))('host header injection', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('host');
  });
  afterAll(async () => env?.teardown());

  it('discovery and redirects name the public origin whatever Host or X-Forwarded-* the client sends', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${env.server.origin}/t/${seeded.slug}/.well-known/openid-configuration`, { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).not.toContain('evil.example');
    const metadata = JSON.parse(body) as Record<string, string>;
    expect(metadata.authorization_endpoint).toBe(`${env.server.origin}/t/${seeded.slug}/auth`);
    expect(metadata.token_endpoint).toBe(`${env.server.origin}/t/${seeded.slug}/token`);
  });
});

/**
 * Tenants are separate issuers: two tenants in one server share nothing a client, a token, a
 * user, a session or a key could cross. Each tenant also has a client registered under the SAME
 * client_id as the other's (client ids are unique per tenant only), so a lookup that forgot the
 * tenant would be caught rather than hidden by a client mismatch.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { createClient } from '@/lib/clients';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { HttpBrowser, formAction, hiddenInput, signInOverHttp } from './support/browserless';

const run = requirement('postgres');
const system = { type: 'system' as const, id: 'tenant-isolation-test' };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  json: Record<string, unknown> | undefined;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const alertText = (html: string) => /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];

/** fetch without following redirects; no response in this file may be a 5xx. */
async function send(url: string, init: { headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const response = await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  expect(response.status, `${url} answered ${response.status}: ${text.slice(0, 300)}`).toBeLessThan(500);
  return { status: response.status, headers: response.headers, text, location: response.headers.get('location'), json };
}

function expectOAuthError(reply: Reply, status: number, error: string) {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
  expect(reply.json?.error, reply.text.slice(0, 300)).toBe(error);
}

describe.runIf(run)('tenant isolation: two tenants in one server share nothing', () => {
  let env: TestEnvironment;
  let a: SeededTenant;
  let b: SeededTenant;
  let issuerA: string;
  let issuerB: string;
  /** A web client and a machine client in each tenant under one shared client_id each. */
  const sharedWebId = `shared-web-${crypto.randomBytes(6).toString('hex')}`;
  const sharedMachineId = `shared-machine-${crypto.randomBytes(6).toString('hex')}`;
  const twin = { a: { web: '', machine: '' }, b: { web: '', machine: '' } };

  /** Tokens tenant A issued through a real code flow (opaque access token) and client credentials (JWT). */
  let flowA: { accessToken: string; refreshToken: string; idToken: string; sub: string; callbackIss: string | null; browser: HttpBrowser };
  /** An authorization code from A, not yet redeemed. */
  let spareCodeA: { code: string; verifier: string };
  let ccA: string;
  let ccB: string;

  const authA = () => basic(sharedWebId, twin.a.web);
  const authB = () => basic(sharedWebId, twin.b.web);

  async function discover(issuer: string, clientId: string, secret: string) {
    return oidc.discovery(new URL(issuer), clientId, secret, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
  }

  async function authorizationUrl(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      prompt: 'consent',
      state: 'iso',
      ...extra,
    });
    return { url: url.href, verifier };
  }

  async function clientCredentials(issuer: string, auth: string, resource?: string) {
    return send(`${issuer}/token`, { form: { grant_type: 'client_credentials', scope: 'api:read', ...(resource ? { resource } : {}) }, headers: { authorization: auth } });
  }

  const introspect = (issuer: string, auth: string, token: string) => send(`${issuer}/token/introspection`, { form: { token }, headers: { authorization: auth } });

  beforeAll(async () => {
    env = await setupServerEnvironment();
    [a, b] = [await seedTenant('iso-a'), await seedTenant('iso-b')];
    issuerA = `${env.server.origin}/t/${a.slug}`;
    issuerB = `${env.server.origin}/t/${b.slug}`;
    for (const [key, seeded] of [['a', a], ['b', b]] as const) {
      const web = await createClient(seeded.tenant.id, { name: `Shared web ${key}`, kind: 'web', clientId: sharedWebId, redirectUris: [REDIRECT_URI] }, system);
      const machine = await createClient(seeded.tenant.id, { name: `Shared machine ${key}`, kind: 'machine', clientId: sharedMachineId }, system);
      twin[key] = { web: web.clientSecret!, machine: machine.clientSecret! };
    }
    expect(twin.a.web).not.toBe(twin.b.web);

    // A real sign-in at A with a certified relying party: opaque access token, refresh token, ID token.
    const config = await discover(issuerA, sharedWebId, twin.a.web);
    const browser = new HttpBrowser();
    const first = await authorizationUrl(config, { nonce: 'n-a' });
    const callback = await signInOverHttp(browser, first.url, { username: 'alice', password: a.user.password, redirectUri: REDIRECT_URI });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: first.verifier, expectedState: 'iso', expectedNonce: 'n-a' });
    flowA = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token!, idToken: tokens.id_token!, sub: tokens.claims()!.sub, callbackIss: callback.searchParams.get('iss'), browser };
    expect(() => jose.decodeProtectedHeader(flowA.accessToken), 'the code-flow access token should be opaque').toThrow();

    const second = await authorizationUrl(config);
    const spare = await signInOverHttp(browser, second.url, { username: 'alice', password: a.user.password, redirectUri: REDIRECT_URI });
    spareCodeA = { code: spare.searchParams.get('code')!, verifier: second.verifier };
    expect(spareCodeA.code).toBeTruthy();

    const issuedA = await clientCredentials(issuerA, basic(a.machine.clientId, a.machine.clientSecret));
    const issuedB = await clientCredentials(issuerB, basic(b.machine.clientId, b.machine.clientSecret));
    expect(issuedA.status).toBe(200);
    expect(issuedB.status).toBe(200);
    ccA = String(issuedA.json!.access_token);
    ccB = String(issuedB.json!.access_token);
  });
  afterAll(async () => env?.teardown());

  describe('clients belong to one tenant', () => {
    it("A's machine client cannot get a token at B's token endpoint → 401 invalid_client", async () => {
      const reply = await clientCredentials(issuerB, basic(a.machine.clientId, a.machine.clientSecret));
      expectOAuthError(reply, 401, 'invalid_client');
      expect(reply.json?.access_token).toBeUndefined();
    });

    it("the same client_id in B does not accept A's secret → 401 invalid_client", async () => {
      expectOAuthError(await clientCredentials(issuerB, basic(sharedMachineId, twin.a.machine)), 401, 'invalid_client');
      expectOAuthError(await clientCredentials(issuerA, basic(sharedMachineId, twin.b.machine)), 401, 'invalid_client');
      // Each with its own tenant's secret works.
      expect((await clientCredentials(issuerA, basic(sharedMachineId, twin.a.machine))).status).toBe(200);
      expect((await clientCredentials(issuerB, basic(sharedMachineId, twin.b.machine))).status).toBe(200);
    });

    it("A's web client cannot use B's introspection endpoint → 401 invalid_client", async () => {
      expectOAuthError(await introspect(issuerB, basic(a.web.clientId, a.web.clientSecret), flowA.accessToken), 401, 'invalid_client');
    });

    it("A's web client_id at B's authorization endpoint → error page, no redirect", async () => {
      for (const clientId of [a.web.clientId, a.spa.clientId]) {
        const url = new URL(`${issuerB}/auth`);
        const params = { client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'x' };
        for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
        const reply = await send(url.href, { headers: { accept: 'text/html' } });
        expect(reply.status, reply.text.slice(0, 200)).toBe(400);
        expect(reply.location).toBeNull();
        expect(reply.headers.get('content-type') ?? '').toMatch(/^text\/html/);
      }
    });

    it("B cannot mint tokens for A's API (resource indicator of another tenant) → 400 invalid_target", async () => {
      expectOAuthError(await clientCredentials(issuerB, basic(b.machine.clientId, b.machine.clientSecret), `${issuerA}/api`), 400, 'invalid_target');
    });
  });

  describe("A's tokens mean nothing at B", () => {
    it("A's opaque access token and refresh token introspect as {active:false} at B", async () => {
      // Sanity: at A they are active.
      const atA = await introspect(issuerA, authA(), flowA.accessToken);
      expect(atA.json).toMatchObject({ active: true, sub: flowA.sub, client_id: sharedWebId });

      for (const token of [flowA.accessToken, flowA.refreshToken]) {
        // …by B's own web client, and by B's client that has the very same client_id.
        for (const auth of [basic(b.web.clientId, b.web.clientSecret), authB()]) {
          const reply = await introspect(issuerB, auth, token);
          expect(reply.status).toBe(200);
          expect(reply.json).toEqual({ active: false });
        }
      }
    });

    it("A's client-credentials JWT introspects as {active:false} at B (RFC 7662 §2.2)", async () => {
      // "does not exist on this server" → active:false. An error response is not an introspection answer.
      for (const auth of [basic(b.machine.clientId, b.machine.clientSecret), basic(b.web.clientId, b.web.clientSecret), basic(sharedMachineId, twin.b.machine)]) {
        const reply = await introspect(issuerB, auth, ccA);
        expect(reply.status, reply.text).toBe(200);
        expect(reply.json).toEqual({ active: false });
      }
    });

    it("A's access tokens are refused by B's userinfo → 401 invalid_token", async () => {
      // Sanity: A's userinfo accepts the opaque token.
      const atA = await send(`${issuerA}/me`, { headers: { authorization: `Bearer ${flowA.accessToken}` } });
      expect(atA.status).toBe(200);
      expect(atA.json?.sub).toBe(flowA.sub);
      for (const token of [flowA.accessToken, ccA]) {
        const reply = await send(`${issuerB}/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(reply.status).toBe(401);
        expect(reply.json?.error).toBe('invalid_token');
      }
    });

    it("A's refresh token and authorization code are invalid_grant at B, even for the same client_id", async () => {
      expectOAuthError(await send(`${issuerB}/token`, { form: { grant_type: 'refresh_token', refresh_token: flowA.refreshToken }, headers: { authorization: authB() } }), 400, 'invalid_grant');
      expectOAuthError(
        await send(`${issuerB}/token`, { form: { grant_type: 'authorization_code', code: spareCodeA.code, redirect_uri: REDIRECT_URI, code_verifier: spareCodeA.verifier }, headers: { authorization: authB() } }),
        400,
        'invalid_grant',
      );
      // B's refusal did not consume A's code: it still redeems at A.
      const atA = await send(`${issuerA}/token`, { form: { grant_type: 'authorization_code', code: spareCodeA.code, redirect_uri: REDIRECT_URI, code_verifier: spareCodeA.verifier }, headers: { authorization: authA() } });
      expect(atA.status, atA.text).toBe(200);
      expect(atA.json?.access_token).toBeTruthy();
    });

    it("revoking A's tokens at B does nothing to them (RFC 7009 §2.2: 200 for tokens it does not know)", async () => {
      for (const token of [flowA.accessToken, flowA.refreshToken]) {
        const reply = await send(`${issuerB}/token/revocation`, { form: { token }, headers: { authorization: authB() } });
        expect(reply.status).toBe(200);
      }
      expect((await introspect(issuerA, authA(), flowA.accessToken)).json?.active).toBe(true);
      expect((await introspect(issuerA, authA(), flowA.refreshToken)).json?.active).toBe(true);
    });

    it("A's JWTs do not verify against B's JWKS", async () => {
      const jwksA = jose.createRemoteJWKSet(new URL(`${issuerA}/jwks`));
      const jwksB = jose.createRemoteJWKSet(new URL(`${issuerB}/jwks`));
      // Sanity: they verify at A.
      await jose.jwtVerify(ccA, jwksA, { issuer: issuerA, audience: `${issuerA}/api` });
      await jose.jwtVerify(flowA.idToken, jwksA, { issuer: issuerA, audience: sharedWebId });
      // At B they fail on the signature alone, whatever claims a verifier would check.
      await expect(jose.jwtVerify(ccA, jwksB)).rejects.toThrow();
      await expect(jose.jwtVerify(flowA.idToken, jwksB)).rejects.toThrow();
      await expect(jose.jwtVerify(ccB, jwksA)).rejects.toThrow();
      // Not even a key that merely shares the kid: B's keys never verify A's signature.
      const { keys } = (await send(`${issuerB}/jwks`)).json as { keys: jose.JWK[] };
      for (const jwk of keys) {
        const key = await jose.importJWK({ ...jwk, alg: 'RS256' });
        await expect(jose.compactVerify(ccA, key)).rejects.toThrow();
      }
    });
  });

  describe('users and sessions belong to one tenant', () => {
    async function loginPage(issuer: string, clientId: string, browser = new HttpBrowser()) {
      const url = new URL(`${issuer}/auth`);
      const params = { client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'login' };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const start = await browser.request(url.href);
      expect(start.status).toBe(303);
      const pageUrl = new URL(start.headers.get('location')!, issuer).href;
      const page = await browser.request(pageUrl);
      const html = await page.text();
      expect(page.status).toBe(200);
      return { browser, pageUrl, csrf: hiddenInput(html, 'csrf')!, action: new URL(formAction(html, 'login')!, issuer).href };
    }

    it("A's alice cannot sign in at B with A's password: the generic invalid-credentials answer", async () => {
      expect(a.user.password).not.toBe(b.user.password);
      const { browser, pageUrl, csrf, action } = await loginPage(issuerB, b.web.clientId);
      const origin = env.server.origin;
      const refused = await browser.request(action, { form: { csrf, username: 'alice', password: a.user.password }, headers: { origin } });
      expect(refused.status).toBe(303);
      expect(refused.headers.get('location')).toBe(`${pageUrl}?error=invalid_credentials`);
      const html = await (await browser.request(refused.headers.get('location')!)).text();
      expect(alertText(html)).toBe('Incorrect username or password.');
      // B's own alice, with B's password, signs in on the same form.
      const accepted = await browser.request(action, { form: { csrf, username: 'alice', password: b.user.password }, headers: { origin } });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.get('location') ?? '').not.toContain('error=');
    });

    it("A's sign-in session does not sign the browser in at B (prompt=none → login_required)", async () => {
      const url = new URL(`${issuerB}/auth`);
      const params = { client_id: sharedWebId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'silent', prompt: 'none' };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      let response = await flowA.browser.request(url.href);
      for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400 && !response.headers.get('location')!.startsWith(REDIRECT_URI); hops++) {
        response = await flowA.browser.request(new URL(response.headers.get('location')!, issuerB).href);
      }
      expect(response.status).toBeLessThan(500);
      const location = new URL(response.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('login_required');
      expect(location.searchParams.get('code')).toBeNull();
      expect(location.searchParams.get('iss')).toBe(issuerB);
    });

    it("an interaction started at A cannot be completed through B's pages", async () => {
      const { browser, pageUrl, csrf } = await loginPage(issuerA, a.web.clientId);
      const uid = new URL(pageUrl).pathname.split('/').pop()!;
      const foreignPage = `${issuerB}/interaction/${uid}`;
      // Even when the browser hands over A's interaction cookies on B's path.
      const cookie = browser.jar.header(pageUrl);
      const page = await fetch(foreignPage, { headers: { cookie }, redirect: 'manual' });
      const html = await page.text();
      expect(page.status).toBeLessThan(500);
      expect(html).toContain('This sign-in request has expired');
      expect(formAction(html, 'login')).toBeUndefined();
      const post = await fetch(`${foreignPage}/login`, {
        method: 'POST',
        headers: { cookie, origin: env.server.origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, username: 'alice', password: b.user.password }).toString(),
        redirect: 'manual',
      });
      expect(post.status).toBe(303);
      expect(post.headers.get('location')).toBe(`${foreignPage}?error=expired`);
    });

    it("the same username is a different subject in each tenant", async () => {
      expect(a.user.id).not.toBe(b.user.id);
      expect(flowA.sub).toBe(a.user.id);
    });
  });

  describe('keys and issuers are per tenant', () => {
    it('the JWKS kids of the two tenants are disjoint', async () => {
      const kids = async (issuer: string) => ((await send(`${issuer}/jwks`)).json!.keys as { kid: string }[]).map((k) => k.kid);
      const [kidsA, kidsB] = [await kids(issuerA), await kids(issuerB)];
      expect(kidsA.length).toBeGreaterThan(0);
      expect(kidsB.length).toBeGreaterThan(0);
      expect(kidsA.filter((kid) => kidsB.includes(kid))).toEqual([]);
      // The tokens are signed with their own tenant's keys.
      expect(kidsA).toContain(jose.decodeProtectedHeader(ccA).kid);
      expect(kidsA).toContain(jose.decodeProtectedHeader(flowA.idToken).kid);
      expect(kidsB).toContain(jose.decodeProtectedHeader(ccB).kid);
    });

    it("each discovery document names its own issuer and its own endpoints", async () => {
      for (const issuer of [issuerA, issuerB]) {
        const doc = (await send(`${issuer}/.well-known/openid-configuration`)).json!;
        expect(doc.issuer).toBe(issuer);
        for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint']) {
          expect(String(doc[field]).startsWith(`${issuer}/`), `${field}: ${String(doc[field])}`).toBe(true);
        }
      }
    });

    it("the iss of every token is the tenant's own issuer", async () => {
      expect(jose.decodeJwt(ccA)).toMatchObject({ iss: issuerA, aud: `${issuerA}/api` });
      expect(jose.decodeJwt(ccB)).toMatchObject({ iss: issuerB, aud: `${issuerB}/api` });
      expect(jose.decodeJwt(flowA.idToken).iss).toBe(issuerA);
      expect(flowA.callbackIss).toBe(issuerA); // RFC 9207
      const introspected = await introspect(issuerA, authA(), flowA.accessToken);
      expect(introspected.json?.iss).toBe(issuerA);
    });
  });
});

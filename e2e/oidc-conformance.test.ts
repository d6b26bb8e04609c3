import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createClient, getClientOrThrow, updateClient } from '@/lib/clients';
import { setUserDisabled, updateUser } from '@/lib/users';
import { updateTenant } from '@/lib/tenants';
import { getPrisma } from '@/lib/db';
import { ACR_MFA } from '@/lib/mfa';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { formAction, hiddenInput, HttpBrowser, signInOverHttp } from './support/browserless';
import { basicAuth } from './support/token-client';

const run = requirement('postgres');
const system = { type: 'system' as const, id: 'oidc-conformance-test' };

/**
 * What the OpenID conformance suite and generic clients check beyond the happy path: POST at the
 * authorization and logout endpoints, client_secret_post clients, the claims parameter, RFC 8414
 * metadata, token response caching headers, CORS preflights, JWT introspection after a user is
 * disabled.
 */
/** Counts the sign-in form posts a flow needed. */
class CountingBrowser extends HttpBrowser {
  private readonly postedPaths: string[] = [];
  posts(suffix: string) {
    return this.postedPaths.filter((p) => p.endsWith(suffix)).length;
  }
  protected override send(url: string, method: string, headers: Record<string, string>, body?: string) {
    if (method === 'POST') this.postedPaths.push(new URL(url).pathname);
    return super.send(url, method, headers, body);
  }
}

describe.runIf(run)('OpenID Connect conformance details', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let issuer: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('conf');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
  });
  afterAll(async () => env?.teardown());

  const insecure = { execute: [oidc.allowInsecureRequests] };
  /** The seeded confidential web client, as openid-client sees it. */
  const discoverWebClient = () => oidc.discovery(new URL(issuer), seeded.web.clientId, seeded.web.clientSecret, oidc.ClientSecretBasic(seeded.web.clientSecret), insecure);

  async function authorizationParams(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const params = {
      client_id: config.clientMetadata().client_id,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    };
    return { params, verifier, state };
  }

  const signIn = (url: string, browser = new HttpBrowser()) =>
    signInOverHttp(browser, url, { username: seeded.user.username, password: seeded.user.password, redirectUri: REDIRECT_URI });

  it('accepts the authorization request as a form POST (OIDC Core §3.1.2.1) by a 303 to the same request as GET', async () => {
    const config = await discoverWebClient();
    const { params, verifier, state } = await authorizationParams(config, { nonce: 'n-0S6_WzA2Mj', claims: JSON.stringify({ id_token: { email: null } }) });
    const browser = new HttpBrowser();
    const posted = await browser.request(`${issuer}/auth`, { form: params });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('cache-control')).toBe('no-store');
    const location = new URL(posted.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${issuer}/auth`);
    expect(Object.fromEntries(location.searchParams)).toEqual(params);

    const callback = await signIn(location.href, browser);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: 'n-0S6_WzA2Mj' });
    expect(tokens.claims()!.sub).toBe(seeded.user.id);
  });

  it('refuses a non-form or oversized POST at the authorization endpoint with a 4xx, never a redirect', async () => {
    const json = await fetch(`${issuer}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id":"x"}', redirect: 'manual' });
    expect(json.status).toBe(400);
    expect(json.headers.get('location')).toBeNull();
    const huge = await fetch(`${issuer}/auth`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `state=${'a'.repeat(20_000)}`, redirect: 'manual' });
    expect(huge.status).toBe(413);
  });

  it('accepts RP-initiated logout as a form POST (RP-Initiated Logout §2)', async () => {
    const posted = await fetch(`${issuer}/session/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: seeded.web.clientId, state: 'bye' }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const location = new URL(posted.headers.get('location')!);
    expect(location.pathname).toBe(`/t/${seeded.slug}/session/end`);
    expect(location.searchParams.get('client_id')).toBe(seeded.web.clientId);
    // Without a session there is nothing to confirm: the provider's page posts straight to the confirmation step.
    const page = await fetch(location, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`action="${issuer}/session/end/confirm"`);
  });

  it('prompt=login (or select_account) asks for the password once, then consent, then returns a code', async () => {
    for (const prompt of ['login', 'select_account', 'login consent']) {
      const client = await createClient(seeded.tenant.id, { name: `Fresh ${prompt}`, kind: 'web', redirectUris: [REDIRECT_URI] }, system);
      const config = await oidc.discovery(new URL(issuer), client.clientId, client.clientSecret!, oidc.ClientSecretBasic(client.clientSecret!), insecure);
      const { params, verifier, state } = await authorizationParams(config, { prompt });
      const browser = new CountingBrowser();
      const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`, browser);
      expect({ prompt, logins: browser.posts('/login'), consents: browser.posts('/consent') }).toEqual({ prompt, logins: 1, consents: 1 });
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.claims()!.sub).toBe(seeded.user.id);
    }
  });

  it('prompt=none together with select_account is refused with invalid_request (OIDC Core §3.1.2.1)', async () => {
    const config = await discoverWebClient();
    const { params } = await authorizationParams(config, { prompt: 'none select_account' });
    const response = await fetch(`${issuer}/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('an essential acr claim for MFA leads a user without a factor to enrolment, not round the password form again', async () => {
    const config = await discoverWebClient();
    const { params } = await authorizationParams(config, { claims: JSON.stringify({ id_token: { acr: { essential: true, value: ACR_MFA } } }) });
    const browser = new HttpBrowser();
    let url = `${issuer}/auth?${new URLSearchParams(params)}`;
    let response = await browser.request(url);
    const follow = async () => {
      while (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location')!, url).href;
        response = await browser.request(url);
      }
      return response.text();
    };
    const loginPage = await follow();
    response = await browser.request(new URL(formAction(loginPage, 'login')!, env.server.origin).href, {
      form: { csrf: hiddenInput(loginPage, 'csrf')!, username: seeded.user.username, password: seeded.user.password },
      headers: { origin: env.server.origin },
    });
    const next = await follow();
    expect(formAction(next, 'enrol'), next.replace(/<[^>]+>/g, ' ').slice(0, 300)).toBeDefined();
    expect(formAction(next, 'login')).toBeUndefined();
  });

  it('with MFA off for the tenant, acr_values asking for MFA does not send a signed-in user back through login', async () => {
    const config = await discoverWebClient();
    const browser = new HttpBrowser();
    const first = await authorizationParams(config, { prompt: 'consent' });
    await signIn(`${issuer}/auth?${new URLSearchParams(first.params)}`, browser);
    const silentStepUp = async () => {
      const { params } = await authorizationParams(config, { prompt: 'none', acr_values: ACR_MFA });
      const response = await browser.request(`${issuer}/auth?${new URLSearchParams(params)}`);
      return new URL(response.headers.get('location')!).searchParams;
    };
    expect((await silentStepUp()).get('error')).toBe('login_required'); // MFA is optional here: a step-up is due
    await updateTenant(seeded.slug, { settings: { mfaPolicy: 'off' } }, system);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_500)); // providers re-read their tenant every 5 s
      // Discovery lists only what the tenant now offers (OpenID Connect Discovery §3).
      expect((await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()).acr_values_supported).toEqual(['urn:iam:acr:pwd']);
      const answer = await silentStepUp();
      expect(answer.get('error')).toBeNull();
      expect(answer.get('code')).toBeTruthy();
      // A client that will accept nothing but MFA gets an error, not an endless password form.
      const { params } = await authorizationParams(config, { claims: JSON.stringify({ id_token: { acr: { essential: true, value: ACR_MFA } } }) });
      const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`);
      expect(callback.searchParams.get('error')).toBe('unmet_authentication_requirements');
    } finally {
      await updateTenant(seeded.slug, { settings: { mfaPolicy: 'optional' } }, system);
    }
  });

  it('requires redirect_uri even for a client with a single registered one (OIDC Core §3.1.2.1)', async () => {
    const config = await oidc.discovery(new URL(issuer), seeded.spa.clientId, undefined, oidc.None(), insecure);
    const { params } = await authorizationParams(config);
    const { redirect_uri: _omitted, ...withoutRedirect } = params;
    const response = await fetch(`${issuer}/auth?${new URLSearchParams(withoutRedirect)}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });

  it('registers a client for client_secret_post and signs it in with the secret in the body', async () => {
    const created = await createClient(seeded.tenant.id, { name: 'Post client', kind: 'web', redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'client_secret_post' }, system);
    expect((await getClientOrThrow(seeded.tenant.id, created.clientId)).tokenEndpointAuthMethod).toBe('client_secret_post');
    const config = await oidc.discovery(new URL(issuer), created.clientId, created.clientSecret!, oidc.ClientSecretPost(created.clientSecret!), insecure);
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    const { params, verifier, state } = await authorizationParams(config, { prompt: 'consent' });
    const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.access_token).toBeTruthy();
    // A wrong secret in the body is still refused.
    const wrong = await oidc.discovery(new URL(issuer), created.clientId, 'wrong', oidc.ClientSecretPost('wrong'), insecure);
    await expect(oidc.refreshTokenGrant(wrong, tokens.refresh_token ?? 'none')).rejects.toMatchObject({ error: 'invalid_client' });

    await updateClient(seeded.tenant.id, created.clientId, { tokenEndpointAuthMethod: 'client_secret_basic' }, system);
    expect((await getClientOrThrow(seeded.tenant.id, created.clientId)).tokenEndpointAuthMethod).toBe('client_secret_basic');
  });

  it('refuses an authentication method for a public client', async () => {
    await expect(
      createClient(seeded.tenant.id, { name: 'Bad SPA', kind: 'spa', redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod: 'client_secret_post' }, system),
    ).rejects.toThrow(/public clients have no secret/);
  });

  it('honours the claims request parameter (OIDC Core §5.5): an essential userinfo claim without its scope', async () => {
    const config = await discoverWebClient();
    expect(config.serverMetadata().claims_parameter_supported).toBe(true);
    const { params, verifier, state } = await authorizationParams(config, { prompt: 'consent', claims: JSON.stringify({ userinfo: { email: { essential: true } } }) });
    const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, seeded.user.id);
    expect(userinfo).toMatchObject({ sub: seeded.user.id, email: 'alice@example.com' });
    expect(userinfo.name).toBeUndefined(); // profile was neither in scope nor requested
  });

  it('serves RFC 8414 metadata at the path-inserted well-known URI, usable by an OAuth 2.0 client', async () => {
    const response = await fetch(`${env.server.origin}/.well-known/oauth-authorization-server/t/${seeded.slug}`);
    expect(response.status).toBe(200);
    expect((await response.json()).issuer).toBe(issuer);
    const config = await oidc.discovery(new URL(issuer), seeded.machine.clientId, seeded.machine.clientSecret, oidc.ClientSecretBasic(seeded.machine.clientSecret), { ...insecure, algorithm: 'oauth2' });
    expect(config.serverMetadata().token_endpoint).toBe(`${issuer}/token`);
    expect((await fetch(`${env.server.origin}/.well-known/oauth-authorization-server/t/no-such-tenant`)).status).toBe(404);
  });

  it('token responses forbid caching with Cache-Control and Pragma (RFC 6749 §5.1)', async () => {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${seeded.machine.clientId}:${seeded.machine.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
  });

  it('answers a CORS preflight at the token endpoint instead of 405', async () => {
    const response = await fetch(`${issuer}/token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:9', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('allow')).toBeNull();
  });

  it('updated_at moves when the profile changes, not when the user signs in (OIDC Core §5.1)', async () => {
    const config = await discoverWebClient();
    const profile = async () => {
      const { params, verifier, state } = await authorizationParams(config, { prompt: 'consent', scope: 'openid profile' });
      const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
      return oidc.fetchUserInfo(config, tokens.access_token, seeded.user.id);
    };
    const first = await profile();
    expect(typeof first.updated_at).toBe('number');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await profile()).updated_at).toBe(first.updated_at); // the sign-in itself changed nothing
    await updateUser(seeded.tenant.id, seeded.user.id, { name: 'Alice Renamed' }, system);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the server's account cache lives 2 s
    const renamed = await profile();
    expect(renamed.name).toBe('Alice Renamed');
    expect(renamed.updated_at).toBeGreaterThan(first.updated_at as number);
  });

  it('a JWT access token of a user who is then disabled introspects as inactive (RFC 7662 §2.2)', async () => {
    const config = await discoverWebClient();
    const { params, verifier, state } = await authorizationParams(config, { prompt: 'consent', scope: 'openid api:read', resource: `${issuer}/api` });
    const callback = await signIn(`${issuer}/auth?${new URLSearchParams(params)}`);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, { resource: `${issuer}/api` });
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, sub: seeded.user.id });

    await setUserDisabled(seeded.tenant.id, seeded.user.id, true, system);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // the server's account cache lives 2 s
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    } finally {
      await setUserDisabled(seeded.tenant.id, seeded.user.id, false, system);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
    }
  });

  it('a session whose account the provider can no longer find asks for a sign-in again (login_required with prompt=none), never a 500', async () => {
    const config = await discoverWebClient();
    const browser = new HttpBrowser();
    const first = await authorizationParams(config);
    await signIn(`${issuer}/auth?${new URLSearchParams(first.params)}`, browser);
    // Disabled behind the services' back, so the session survives (setUserDisabled would end it):
    // what a session sees when its account is disabled or deleted between two of its requests.
    const prisma = await getPrisma();
    await prisma.user.update({ where: { id: seeded.user.id }, data: { disabled: true } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_100)); // the server's account cache lives 2 s
      const silent = await authorizationParams(config, { prompt: 'none', state: 'silent' });
      const none = await browser.request(`${issuer}/auth?${new URLSearchParams(silent.params)}`);
      const redirected = new URL(none.headers.get('location')!);
      expect([redirected.searchParams.get('error'), redirected.searchParams.get('state')]).toEqual(['login_required', 'silent']);
      const again = await authorizationParams(config);
      let response = await browser.request(`${issuer}/auth?${new URLSearchParams(again.params)}`);
      while (response.status === 303 || response.status === 302) response = await browser.request(new URL(response.headers.get('location')!, issuer).href);
      expect(response.status).toBe(200);
      expect(formAction(await response.text(), 'login')).toBeTruthy();
    } finally {
      await prisma.user.update({ where: { id: seeded.user.id }, data: { disabled: false } });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
    }
  });

  it('an authorization request without a known scope is refused with invalid_scope before any sign-in (RFC 6749 §3.3)', async () => {
    const config = await discoverWebClient();
    for (const scope of [undefined, 'not-a-scope']) {
      const { params } = await authorizationParams(config, { state: 'scope-state' });
      const request = new URLSearchParams(params);
      if (scope) request.set('scope', scope);
      else request.delete('scope');
      const response = await fetch(`${issuer}/auth?${request}`, { redirect: 'manual' });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(REDIRECT_URI);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('state')).toBe('scope-state');
    }
  });

  it('a NUL character in any parameter is a protocol error, never a 500 (Postgres cannot store it)', async () => {
    const config = await discoverWebClient();
    const { params } = await authorizationParams(config, { state: 'a\0b' });
    const auth = await fetch(`${issuer}/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
    expect(auth.status).toBe(303);
    expect(new URL(auth.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    const unknownClient = await fetch(`${issuer}/auth?${new URLSearchParams({ ...params, state: 's', client_id: 'a\0b' })}`, { redirect: 'manual' });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.headers.get('location')).toBeNull();

    const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
    const web = { authorization: basicAuth(seeded.web.clientId, seeded.web.clientSecret) };
    const code = await post('/token', { grant_type: 'authorization_code', code: 'a\0b', redirect_uri: REDIRECT_URI, code_verifier: 'x'.repeat(43) }, web);
    expect([code.status, (await code.json()).error]).toEqual([400, 'invalid_grant']);
    const refresh = await post('/token', { grant_type: 'refresh_token', refresh_token: 'a\0b' }, web);
    expect([refresh.status, (await refresh.json()).error]).toEqual([400, 'invalid_grant']);
    const client = await post('/token', { grant_type: 'client_credentials', client_id: 'a\0b', client_secret: 'x' });
    expect([client.status, (await client.json()).error]).toEqual([401, 'invalid_client']);
    expect(await (await post('/token/introspection', { token: 'a\0b' }, web)).json()).toEqual({ active: false });
    expect((await post('/token/revocation', { token: 'a\0b' }, web)).status).toBe(200);
    const userinfo = await post('/me', { access_token: 'a\0b' });
    expect(userinfo.status).toBe(401);
    const logout = await fetch(`${issuer}/session/end?${new URLSearchParams({ client_id: seeded.web.clientId, state: 'a\0b' })}`, { redirect: 'manual' });
    expect(logout.status).toBeGreaterThanOrEqual(400);
    expect(logout.status).toBeLessThan(500);
  });

  it('an Authorization header that is not readable Basic credentials gets 401 invalid_client with a challenge (RFC 6749 §5.2)', async () => {
    for (const authorization of ['Basic !!!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, basicAuth(seeded.web.clientId, ''), 'Bearer abc']) {
      const response = await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      expect(response.status, authorization).toBe(401);
      expect((await response.json()).error).toBe('invalid_client');
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
  });

  it("introspection describes a token only to the client it was issued to (RFC 7662 §2.2, §4)", async () => {
    const config = await discoverWebClient();
    const { params, verifier, state } = await authorizationParams(config);
    const tokens = await oidc.authorizationCodeGrant(config, await signIn(`${issuer}/auth?${new URLSearchParams(params)}`), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.access_token.split('.')).toHaveLength(1); // opaque: the provider's own introspection
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: seeded.web.clientId });
    const other = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: basicAuth(seeded.machine.clientId, seeded.machine.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ active: false });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { HttpBrowser, signInOverHttp } from './support/browserless';

const run = requirement('postgres');

describe.runIf(run)('authorization code + PKCE with a certified relying party (openid-client), over HTTP', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let issuer: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('flow');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
  });
  afterAll(async () => env?.teardown());

  async function discover(clientId: string, secret?: string) {
    return oidc.discovery(new URL(issuer), clientId, secret, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), { execute: [oidc.allowInsecureRequests] });
  }

  async function signIn(config: oidc.Configuration, scope = 'openid profile email offline_access') {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      prompt: 'consent',
    });
    const callback = await signInOverHttp(new HttpBrowser(), url.href, { username: seeded.user.username, password: seeded.user.password, redirectUri: REDIRECT_URI });
    return { callback, verifier, state, nonce };
  }

  it('signs in, validates the ID token, calls userinfo, refreshes, introspects and revokes', async () => {
    const config = await discover(seeded.web.clientId, seeded.web.clientSecret);
    const { callback, verifier, state, nonce } = await signIn(config);
    expect(callback.searchParams.get('iss')).toBe(issuer); // RFC 9207

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(issuer);
    expect(claims.sub).toBe(seeded.user.id);
    expect(claims.aud).toBe(seeded.web.clientId);
    expect(claims.amr).toEqual(['pwd']);
    expect(jose.decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: seeded.user.id, email: 'alice@example.com', email_verified: true, preferred_username: 'alice', name: 'Alice Example' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const active = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(active).toMatchObject({ active: true, sub: seeded.user.id, client_id: seeded.web.clientId });

    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
  });

  it('refuses a replayed authorization code with invalid_grant', async () => {
    const config = await discover(seeded.web.clientId, seeded.web.clientSecret);
    const { callback, verifier, state, nonce } = await signIn(config);
    await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const replay = oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    await expect(replay).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes the whole grant when a rotated refresh token is reused', async () => {
    const config = await discover(seeded.web.clientId, seeded.web.clientSecret);
    const { callback, verifier, state, nonce } = await signIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The reuse revoked the grant: the newest refresh token and its access token are dead too.
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(config, rotated.access_token)).active).toBe(false);
  });

  it('runs a public client with PKCE and issues RS256 JWT access tokens for the tenant API', async () => {
    const config = await discover(seeded.spa.clientId);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const resource = `${issuer}/api`;
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid api:read', resource, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const callback = await signInOverHttp(new HttpBrowser(), url.href, { username: 'alice', password: seeded.user.password, redirectUri: REDIRECT_URI });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state }, { resource });
    const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
    const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, { issuer, audience: resource, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe(seeded.user.id);
    expect(payload.scope).toBe('api:read');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('issues client-credentials JWTs to machine clients', async () => {
    const config = await discover(seeded.machine.clientId, seeded.machine.clientSecret);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api:read' });
    const { payload } = await jose.jwtVerify(tokens.access_token, jose.createRemoteJWKSet(new URL(`${issuer}/jwks`)), { issuer, audience: `${issuer}/api` });
    expect(payload.client_id).toBe(seeded.machine.clientId);
    expect(payload.sub).toBe(seeded.machine.clientId);
  });

  it('ends the session with RP-initiated logout', async () => {
    const config = await discover(seeded.web.clientId, seeded.web.clientSecret);
    const browser = new HttpBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
    const callback = await signInOverHttp(browser, url.href, { username: 'alice', password: seeded.user.password, redirectUri: REDIRECT_URI });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's' });

    const logoutUrl = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9/', state: 'bye' });
    const confirm = await browser.request(logoutUrl.href);
    const html = await confirm.text();
    expect(confirm.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const action = /action="([^"]+)"/.exec(html)![1];
    const done = await browser.request(new URL(action, issuer).href, { form: { xsrf, logout: 'yes' } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('http://127.0.0.1:9/?state=bye');

    // The provider session is gone: prompt=none now answers login_required.
    const silent = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', prompt: 'none', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'n' });
    let response = await browser.request(silent.href);
    while (response.status >= 300 && response.status < 400 && !response.headers.get('location')!.startsWith(REDIRECT_URI)) {
      response = await browser.request(new URL(response.headers.get('location')!, issuer).href);
    }
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });
});

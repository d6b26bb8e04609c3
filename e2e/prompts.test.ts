import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { HttpBrowser, signInOverHttp } from './support/browserless';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';

const run = requirement('postgres');

/** OIDC Core §3.1.2.1 `prompt` values and `max_age`, with one browser session reused. */
describe.runIf(run)('prompt=none, login and consent', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let config: oidc.Configuration;
  const browser = new HttpBrowser();

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('prompt');
    config = await oidc.discovery(new URL(`${env.server.origin}/t/${seeded.slug}`), seeded.web.clientId, seeded.web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(async () => env?.teardown());

  const authUrl = async (params: Record<string, string>) =>
    oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 'p', ...params }).href;

  /** Follows redirects without filling any form; returns the RP callback or the page it stopped at. */
  async function follow(url: string): Promise<{ callback?: URL; page?: string; headers?: Headers }> {
    let response = await browser.request(url);
    while (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url).href;
      if (location.startsWith(REDIRECT_URI)) return { callback: new URL(location) };
      url = location;
      response = await browser.request(url);
    }
    return { page: await response.text(), headers: response.headers };
  }

  it('prompt=none without a session answers login_required at the redirect_uri', async () => {
    const { callback } = await follow(await authUrl({ prompt: 'none' }));
    expect(callback!.searchParams.get('error')).toBe('login_required');
    expect(callback!.searchParams.get('state')).toBe('p');
  });

  it('after a sign-in, prompt=none returns a code without any page', async () => {
    const first = await signInOverHttp(browser, await authUrl({}), { username: 'alice', password: seeded.user.password, redirectUri: REDIRECT_URI });
    expect(first.searchParams.get('code')).toBeTruthy();
    const { callback } = await follow(await authUrl({ prompt: 'none' }));
    expect(callback!.searchParams.get('code')).toBeTruthy();
  });

  it('prompt=none for scopes not yet consented answers consent_required', async () => {
    const { callback } = await follow(await authUrl({ prompt: 'none', scope: 'openid profile email' }));
    expect(callback!.searchParams.get('error')).toBe('consent_required');
  });

  it('prompt=login shows the login page despite the session', async () => {
    const { page } = await follow(await authUrl({ prompt: 'login' }));
    expect(page).toContain('name="password"');
  });

  it('the sign-in page cannot be framed or cached and ships no script', async () => {
    const { page, headers } = await follow(await authUrl({ prompt: 'login' }));
    expect(page).toContain('name="password"');
    expect(headers!.get('x-frame-options')).toBe('DENY'); // RFC 7034
    expect(headers!.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(headers!.get('cache-control')).toContain('no-store');
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/<title[^>]*>Sign in · [^<]+<\/title>/);
    expect(page).toContain('content="width=device-width, initial-scale=1"'); // usable on phones
  });

  it('max_age=0 requires a fresh login', async () => {
    const { page } = await follow(await authUrl({ max_age: '0' }));
    expect(page).toContain('name="password"');
  });

  it('prompt=consent shows the consent page despite an existing grant', async () => {
    const { page } = await follow(await authUrl({ prompt: 'consent' }));
    expect(page).toContain('Authorize access');
  });
});

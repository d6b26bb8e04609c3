import type { Browser, Page } from '@playwright/test';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirement } from './support/env';
import { launchChromium } from './support/browser';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';

const run = requirement('postgres') && requirement('chromium');

describe.runIf(run)('sign-in in Chromium through the real login and consent pages', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let browser: Browser;
  let config: oidc.Configuration;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('browser');
    browser = await launchChromium();
    config = await oidc.discovery(new URL(`${env.server.origin}/t/${seeded.slug}`), seeded.web.clientId, seeded.web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(async () => {
    await browser?.close();
    await env?.teardown();
  });

  /** The relying party's callback: the browser lands on it and the test reads the URL. */
  async function pageWithCallback(): Promise<{ page: Page; callback: Promise<URL> }> {
    const page = await (await browser.newContext()).newPage();
    const callback = new Promise<URL>((resolve) => {
      void page.route(`${REDIRECT_URI}**`, async (route) => {
        resolve(new URL(route.request().url()));
        await route.fulfill({ contentType: 'text/html', body: '<h1>Signed in</h1>' });
      });
    });
    return { page, callback };
  }

  it('signs in with password and consent, and the RP validates the ID token', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
    const { page, callback } = await pageWithCallback();
    await page.goto(url.href);

    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    // The server renders this page itself and links the build's stylesheet: it must load and apply.
    const styled = await page.evaluate(() => ({
      rules: [...document.styleSheets].reduce((sum, sheet) => sum + sheet.cssRules.length, 0),
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect(styled.rules).toBeGreaterThan(0);
    expect(styled.background).not.toBe('rgba(0, 0, 0, 0)'); // bg-slate-100, transparent unstyled
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // (Next.js adds its own empty route-announcer alert, hence the filter.)
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await expect(alert.textContent()).resolves.toBe('Incorrect username or password.');

    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(seeded.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Authorize access' }).waitFor();
    await expect(page.getByText('See your email address').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Allow' }).click();

    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ sub: seeded.user.id, amr: ['pwd'] });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, seeded.user.id);
    expect(userinfo.email).toBe('alice@example.com');
    await page.close();
  });

  it('returns access_denied to the RP when the user denies consent', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'deny-state', prompt: 'login consent' });
    const { page, callback } = await pageWithCallback();
    await page.goto(url.href);
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(seeded.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    const landed = await callback;
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe('deny-state');
    await page.close();
  });

  it('shows an error page and never redirects for an unregistered redirect_uri', async () => {
    const page = await (await browser.newContext()).newPage();
    const attacker = 'https://attacker.example/steal';
    let redirected = false;
    await page.route('https://attacker.example/**', async (route) => {
      redirected = true;
      await route.abort();
    });
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: attacker, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const response = await page.goto(url.href);
    expect(response!.status()).toBe(400);
    await expect(page.getByRole('heading').first().textContent()).resolves.toContain('could not complete');
    await expect(page.locator('code').textContent()).resolves.toBe('invalid_redirect_uri');
    expect(redirected).toBe(false);
    expect(page.url().startsWith(env.server.origin)).toBe(true);
    await page.close();
  });
});

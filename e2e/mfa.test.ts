import type { Browser, Page } from '@playwright/test';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetUserMfa } from '@/lib/mfa';
import { updateTenant } from '@/lib/tenants';
import { getSql } from '@/lib/db/sql';
import { requirement } from './support/env';
import { launchChromium } from './support/browser';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { decodeQrDataUrl, secretFromOtpauthUri } from './support/qr';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';
import { nextTotpCode } from './support/totp';

const run = requirement('postgres') && requirement('chromium');

describe.runIf(run)('MFA with TOTP in Chromium: enrol by QR, sign in with a code, recovery codes, reset, policy', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let browser: Browser;
  let config: oidc.Configuration;
  let issuer: string;
  let secret: string;
  let recoveryCodes: string[];
  let lastCode: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('mfa');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
    browser = await launchChromium();
    config = await oidc.discovery(new URL(issuer), seeded.web.clientId, seeded.web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(async () => {
    await browser?.close();
    await env?.teardown();
  });

  async function newPage(): Promise<{ page: Page; callback: Promise<URL> }> {
    const page = await (await browser.newContext()).newPage();
    const callback = new Promise<URL>((resolve) => {
      void page.route(`${REDIRECT_URI}**`, async (route) => {
        resolve(new URL(route.request().url()));
        await route.fulfill({ contentType: 'text/html', body: 'ok' });
      });
    });
    return { page, callback };
  }

  async function startSignIn(page: Page, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'm', ...extra });
    await page.goto(url.href);
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(seeded.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return verifier;
  }

  const alertText = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ }).textContent();

  it('enrols from the account page by scanning the QR code', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${issuer}/account`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(seeded.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();

    // A sign-in older than ten minutes may not attach an authenticator (whoever sits at an
    // unattended browser could otherwise bind their own): the page asks for a fresh sign-in.
    const sql = await getSql();
    await sql.execute(
      `UPDATE oidc_payloads SET payload = jsonb_set(payload, '{loginTs}', to_jsonb((payload->>'loginTs')::bigint - 3600)) WHERE tenant_id = $1::uuid AND model = 'Session' AND account_id = $2`,
      [seeded.tenant.id, seeded.user.id],
    );
    await page.reload();
    expect(await page.getByRole('button', { name: 'Set up an authenticator app' }).count()).toBe(0);
    await page.getByRole('link', { name: 'sign in again' }).click();
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(seeded.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();

    const qr = page.getByTestId('totp-qr');
    await qr.waitFor();
    const uri = decodeQrDataUrl((await qr.getAttribute('src'))!);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri).searchParams.get('issuer')).toBe(`Tenant ${seeded.slug}`);
    secret = secretFromOtpauthUri(uri);

    await page.getByLabel('Code from the app').fill(await nextTotpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    recoveryCodes = await codes.allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await page.screenshot({ path: 'test-results/screenshots/account-mfa-enrolled.png' }).catch(() => undefined);

    // This session signed in with a password alone and the account now has a factor: prompt=login
    // must still ask for the password (not only the code), since re-authentication was requested.
    const reauth = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256', state: 'p', prompt: 'login' });
    await page.goto(reauth.href);
    await page.getByLabel('Password').waitFor();
    expect(await page.getByLabel('Authentication code').count()).toBe(0);
    await page.context().close();
  });

  it('then signs in with password and TOTP: amr has otp and acr reflects MFA', async () => {
    const { page, callback } = await newPage();
    const verifier = await startSignIn(page);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    lastCode = await nextTotpCode(secret);
    await page.getByLabel('Authentication code').fill(lastCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: 'm' });
    expect(tokens.claims()!.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(tokens.claims()!.acr).toBe('urn:iam:acr:mfa');
    await page.context().close();
  });

  it('refuses a replayed code, and accepts a recovery code exactly once', async () => {
    const { page, callback } = await newPage();
    const verifier = await startSignIn(page);
    await page.getByLabel('Authentication code').fill(lastCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(alertText(page)).resolves.toContain('already used');

    await page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: 'm' });
    expect(tokens.claims()!.amr).toContain('otp');
    await page.context().close();

    const second = await newPage();
    await startSignIn(second.page);
    await second.page.getByLabel('Authentication code').fill(recoveryCodes[0]);
    await second.page.getByRole('button', { name: 'Verify' }).click();
    await expect(alertText(second.page)).resolves.toContain('not valid');
    await second.page.context().close();
  });

  it('after an admin resets MFA under a required policy, the user must enrol again at sign-in', async () => {
    await updateTenant(seeded.slug, { settings: { mfaPolicy: 'required', mfaRequiredFor: 'all' } }, { type: 'system', id: 'test' });
    await resetUserMfa(seeded.tenant, seeded.user.id, { type: 'admin', id: 'test-helpdesk' });
    await new Promise((r) => setTimeout(r, 5_500)); // running providers re-read tenant settings

    const { page, callback } = await newPage();
    const verifier = await startSignIn(page);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const uri = decodeQrDataUrl((await page.getByTestId('totp-qr').getAttribute('src'))!);
    const fresh = secretFromOtpauthUri(uri);
    expect(fresh).not.toBe(secret);
    await page.getByLabel('Code from the app').fill(await nextTotpCode(fresh));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await page.screenshot({ path: 'test-results/screenshots/sign-in-recovery-codes.png' }).catch(() => undefined);
    await page.getByRole('button', { name: /I have saved them/ }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: 'm' });
    expect(tokens.claims()!.amr).toEqual(['pwd', 'otp', 'mfa']);
    await page.context().close();
  });
});

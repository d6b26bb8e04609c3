import type { Page } from '@playwright/test';
import { HttpBrowser, formAction, hiddenInput } from './browserless';
import { nextTotpCode, secretFromEnrolmentPage } from './totp';

/** The first administrator's generated credentials, as the server printed them at first start. */
export function bootstrapAdmin(output: string) {
  const password = /Administrator\s+admin \/ (\S+)/.exec(output)?.[1];
  if (!password) throw new Error(`no bootstrap credentials in server output:\n${output}`);
  return { username: 'admin', password };
}

/** TOTP secrets of accounts the tests enrolled, by username: the tests' "phone". */
export const enrolledSecrets = new Map<string, string>();

/**
 * Signs in to the console over HTTP through the provider's real pages: password, then (the
 * admin tenant requires MFA of owners and admins) TOTP enrolment or challenge. Returns the
 * browser holding the console session and the landing page.
 */
export async function signInToConsole(origin: string, credentials: { username: string; password: string }, path = '/console') {
  const browser = new HttpBrowser();
  let url = `${origin}${path}`;
  let response = await browser.request(url);
  let submitted = false;
  for (let step = 0; step < 20; step++) {
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).href;
      response = await browser.request(url);
      continue;
    }
    const html = await response.text();
    const csrf = hiddenInput(html, 'csrf');
    const post = async (suffix: string, form: Record<string, string>) => {
      const action = formAction(html, suffix)!;
      url = new URL(action, origin).href;
      response = await browser.request(url, { form: { csrf: csrf!, ...form }, headers: { origin } });
    };
    if (csrf && formAction(html, 'login') && !submitted) {
      submitted = true;
      await post('login', credentials);
    } else if (csrf && formAction(html, 'enrol')) {
      const secret = secretFromEnrolmentPage(html)!;
      enrolledSecrets.set(credentials.username, secret);
      await post('enrol', { code: await nextTotpCode(secret) });
    } else if (csrf && formAction(html, 'continue')) {
      await post('continue', {});
    } else if (csrf && formAction(html, 'mfa') && enrolledSecrets.has(credentials.username) && !html.includes('role="alert"')) {
      await post('mfa', { code: await nextTotpCode(enrolledSecrets.get(credentials.username)!) });
    } else {
      return { browser, html, url, status: response.status };
    }
  }
  throw new Error('console sign-in did not finish');
}

/**
 * The same sign-in in Chromium: password, then whatever second-factor step the admin tenant asks
 * for (TOTP enrolment, recovery codes, challenge), until the console shows.
 */
export async function signInToConsoleInBrowser(page: Page, origin: string, credentials: { username: string; password: string }, target = '/console') {
  await page.goto(`${origin}${target}`);
  await page.getByLabel('Username or email').fill(credentials.username);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  for (let step = 0; step < 8; step++) {
    await page.waitForLoadState('domcontentloaded');
    const url = new URL(page.url());
    if (url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/auth') && (await page.getByTestId('signed-in-as').count()) > 0) return;
    if ((await page.getByLabel('Code from the app').count()) > 0) {
      const secret = (await page.locator('[aria-label="Secret key for manual entry"]').textContent())!.replace(/\s+/g, '');
      enrolledSecrets.set(credentials.username, secret);
      await page.getByLabel('Code from the app').fill(await nextTotpCode(secret));
      await page.getByRole('button', { name: 'Confirm and continue' }).click();
    } else if ((await page.getByTestId('recovery-codes').count()) > 0) {
      await page.getByRole('button', { name: /continue/ }).click();
    } else if ((await page.getByLabel('Authentication code').count()) > 0) {
      await page.getByLabel('Authentication code').fill(await nextTotpCode(enrolledSecrets.get(credentials.username)!));
      await page.getByRole('button', { name: 'Verify' }).click();
    } else {
      await page.waitForTimeout(250);
    }
  }
  throw new Error(`console sign-in did not finish; at ${page.url()}:\n${(await page.locator('body').innerText()).slice(0, 1500)}`);
}

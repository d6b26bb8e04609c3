/**
 * Lockout and unlock through the console in Chromium: alice is locked by 10 wrong passwords from
 * unknown addresses (sent through a trusted proxy's X-Forwarded-For); the owner signs in to the
 * console, finds her with the users page's "locked" filter and on the tenant's "Rate limits"
 * page under "Locked accounts", opens her page and clicks Unlock; then her correct password from
 * a new address succeeds.
 */
import type { Browser, Page } from '@playwright/test';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '@/lib/db';
import { requirement } from './support/env';
import { launchChromium } from './support/browser';
import { HttpBrowser, formAction, hiddenInput } from './support/browserless';
import { bootstrapAdmin, signInToConsoleInBrowser } from './support/console';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';

const run = requirement('postgres') && requirement('chromium');

describe.runIf(run)('account lockout and unlock through the console in Chromium', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let config: oidc.Configuration;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    env = await setupServerEnvironment({ TRUSTED_PROXIES: '127.0.0.1,::1' });
    origin = env.server.origin;
    seeded = await seedTenant('lock');
    config = await oidc.discovery(new URL(`${origin}/t/${seeded.slug}`), seeded.web.clientId, seeded.web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.teardown();
  });

  /** One password attempt from a given client address (via the trusted proxy's X-Forwarded-For). */
  async function attempt(ip: string, username: string, password: string) {
    const http = new HttpBrowser();
    const headers = { 'x-forwarded-for': ip };
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', state: 's', prompt: 'login' });
    let response = await http.request(url.href, { headers });
    let location = new URL(response.headers.get('location')!, url).href;
    response = await http.request(location, { headers });
    const html = await response.text();
    response = await http.request(new URL(formAction(html, 'login')!, origin).href, { form: { csrf: hiddenInput(html, 'csrf')!, username, password }, headers: { ...headers, origin } });
    location = response.headers.get('location')!;
    return location.includes('error=') ? new URL(location).searchParams.get('error') : 'ok';
  }

  const signInInBrowser = (page: Page, credentials: { username: string; password: string }) => signInToConsoleInBrowser(page, origin, credentials);


  it('10 wrong passwords lock alice; the owner sees her locked in the console and unlocks her; her password works again', { timeout: 180_000 }, async () => {
    // Locked by wrong passwords from addresses she never used.
    for (let i = 0; i < 10; i++) expect(await attempt(`203.0.113.${i + 1}`, 'alice', 'wrong-password')).toBe('invalid_credentials');
    expect(await attempt('203.0.113.50', 'alice', seeded.user.password)).toBe('invalid_credentials'); // locked: same answer
    const prisma = await getPrisma();
    const lockedRow = await prisma.user.findUniqueOrThrow({ where: { id: seeded.user.id } });
    expect(lockedRow.lockedUntil?.getTime() ?? 0).toBeGreaterThan(Date.now());

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInInBrowser(page, bootstrapAdmin(env.server.output()));
    const base = `${origin}/console/tenants/${seeded.slug}`;

    // Users page, status filter "locked": alice, with the "locked out" badge.
    await page.goto(`${base}/users`);
    await page.locator('#user-status').selectOption('locked');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/status=locked/);
    await expect(page.getByTestId('user-total').textContent()).resolves.toMatch(/^1 user match/);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'alice', exact: true }) });
    await expect(row.getByText('locked out').count()).resolves.toBe(1);

    // The tenant's "Rate limits" page lists her under "Locked accounts".
    await page.goto(`${base}/rate-limits`);
    const lockedCard = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Locked accounts' }) });
    const link = lockedCard.getByRole('link', { name: 'alice', exact: true });
    await expect(link.count()).resolves.toBe(1);

    // Her page: locked until …, Unlock.
    await link.click();
    await page.waitForURL(new RegExp(`/users/${seeded.user.id}$`));
    await page.getByText('Locked until').waitFor();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('Locked until').waitFor({ state: 'detached', timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Unlock', exact: true }).count()).resolves.toBe(0);
    const unlockedRow = await prisma.user.findUniqueOrThrow({ where: { id: seeded.user.id } });
    expect(unlockedRow.lockedUntil === null || unlockedRow.lockedUntil.getTime() <= Date.now()).toBe(true);

    // The users page no longer lists her as locked, and the Rate limits page has nobody locked.
    await page.goto(`${base}/users?status=locked`);
    await expect(page.getByTestId('user-total').textContent()).resolves.toMatch(/^0 users match/);
    await page.goto(`${base}/rate-limits`);
    await page.getByText('No account is locked.').waitFor();

    // A correct password from an address she never used now succeeds.
    expect(await attempt('203.0.113.200', 'alice', seeded.user.password)).toBe('ok');
    expect(await prisma.auditEvent.count({ where: { type: 'user.locked', subject: seeded.user.id } })).toBeGreaterThanOrEqual(1);
    expect(await prisma.auditEvent.count({ where: { type: 'user.unlocked', subject: seeded.user.id } })).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '@playwright/test';
import { createScimToken } from '@/lib/scim';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, type SeededTenant } from './support/seed';
import { bootstrapAdmin, signInToConsole } from './support/console';
import { launchChromium } from './support/browser';

const run = requirement('postgres') && requirement('chromium');

/** The tenant's SCIM page in Chromium: base URL, a token created (shown once) and revoked. */
describe.runIf(run)('console: SCIM page in Chromium', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let chromium: Browser;

  beforeAll(async () => {
    env = await setupServerEnvironment({ RATE_LIMIT_PER_MINUTE: '100000' });
    seeded = await seedTenant('scim-ui');
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await env?.teardown();
  });

  it('creates a token that is shown once and works, then revokes it after confirmation', { timeout: 120_000 }, async () => {
    const base = `${env.server.origin}/t/${seeded.slug}/scim/v2`;
    const existing = await createScimToken(seeded.tenant, { name: 'Entra ID' }, { type: 'system', id: 'seed' });
    const headers = { authorization: `Bearer ${existing.token}`, 'content-type': 'application/scim+json' };
    const user = await (await fetch(`${base}/Users`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'adele@contoso.example', displayName: 'Adele Vance', externalId: 'ad-1' }) })).json();
    await fetch(`${base}/Groups`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Retail', members: [{ value: user.id }] }) });

    const { browser } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()));
    const context = await chromium.newContext({ viewport: { width: 1280, height: 1000 } });
    await context.addCookies(
      browser.jar
        .header(`${env.server.origin}/console`)
        .split('; ')
        .filter(Boolean)
        .map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url: env.server.origin })),
    );
    const page = await context.newPage();
    await page.goto(`${env.server.origin}/console/tenants/${seeded.slug}`);
    await page.getByRole('link', { name: 'SCIM' }).click();
    await page.getByTestId('scim-base-url').waitFor();
    expect(await page.getByTestId('scim-base-url').textContent()).toBe(base);
    await page.getByRole('cell', { name: 'Retail' }).waitFor();
    await page.getByRole('link', { name: 'adele@contoso.example' }).waitFor();

    await page.getByLabel('Name').fill('Workday');
    await page.getByLabel('Expires in (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('scim-token').waitFor();
    const shown = (await page.getByTestId('scim-token').textContent())!;
    expect(shown).toMatch(/^scim_/);
    expect((await fetch(`${base}/Users?count=1`, { headers: { authorization: `Bearer ${shown}` } })).status).toBe(200);
    await page.reload();
    await page.getByTestId('scim-token-Workday').waitFor();
    expect(await page.getByTestId('scim-token').count()).toBe(0);
    expect(await page.content()).not.toContain(shown);

    const row = page.getByTestId('scim-token-Workday');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    expect((await fetch(`${base}/Users?count=1`, { headers: { authorization: `Bearer ${shown}` } })).status).toBe(401);
    await context.close();
  });
});

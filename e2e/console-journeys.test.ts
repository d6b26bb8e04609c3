/**
 * The admin console in Chromium, end to end: an owner signs in through the provider, creates a
 * tenant, an application and a user in the console; the user signs in to that application with
 * openid-client; the owner rotates keys and the earlier token still verifies; an auditor can read
 * but the server refuses every write; a helpdesk admin scoped to one tenant sees nothing else.
 * Screenshots of the main pages go to test-results/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushEvents, listAuditEvents } from '@/lib/audit';
import { grantRole } from '@/lib/authz';
import { listClients } from '@/lib/clients';
import { getPrisma } from '@/lib/db';
import { listSigningKeys } from '@/lib/keys';
import { confirmTotpEnrolment, getMfaStatus, startTotpEnrolment } from '@/lib/mfa';
import { createTenant, findAdminTenant, findTenantBySlug, listTenants } from '@/lib/tenants';
import { createUser, getUserOrThrowDto, setUserDisabled } from '@/lib/users';
import { requirement } from './support/env';
import { launchChromium } from './support/browser';
import { bootstrapAdmin, signInToConsoleInBrowser } from './support/console';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { REDIRECT_URI } from './support/seed';
import { nextTotpCode } from './support/totp';

const run = requirement('postgres') && requirement('chromium');

const SCREENSHOTS = path.resolve(import.meta.dirname, '../test-results/screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const system = { type: 'system' as const, id: 'console-journeys-test' };

/** Server action ids from the build's manifest, by file and export name. */
function serverActionId(file: string, exportedName: string): string {
  const dist = path.resolve(import.meta.dirname, '..', process.env.NEXT_DIST_DIR || '.next');
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'server/server-reference-manifest.json'), 'utf8')) as { node: Record<string, { filename?: string; exportedName?: string }> };
  const entry = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportedName);
  if (!entry) throw new Error(`server action ${file}#${exportedName} is not in the build`);
  return entry[0];
}

describe.runIf(run)('the admin console in Chromium', () => {
  let env: TestEnvironment;
  let browser: Browser;
  let origin: string;
  let owner: Page;
  const slug = `acme-${crypto.randomBytes(3).toString('hex')}`;
  const created = { clientId: '', clientSecret: '', userId: '', userPassword: `pw-${crypto.randomBytes(9).toString('base64url')}`, idToken: '' };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    env = await setupServerEnvironment();
    origin = env.server.origin;
    browser = await launchChromium();
    owner = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.teardown();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  const signInInBrowser = (page: Page, credentials: { username: string; password: string }, target?: string) => signInToConsoleInBrowser(page, origin, credentials, target);


  /**
   * Calls a server action the way React does (POST to the page with the Next-Action header and
   * the [previousState, formData] arguments), with the page's cookies: what a crafted request
   * could do when the UI hides the button.
   */
  async function callServerAction(page: Page, pagePath: string, file: string, exportedName: string, fields: Record<string, string>) {
    // React's reply encoding: the form's fields under the `_1_` prefix, then the root `0` naming
    // them (the root must come last: the server resolves it as soon as it arrives).
    const multipart = new FormData();
    for (const [k, v] of Object.entries(fields)) multipart.append(`_1_${k}`, v);
    multipart.append('0', JSON.stringify([{}, '$K1']));
    const response = await page.request.post(`${origin}${pagePath}`, {
      headers: { 'Next-Action': serverActionId(file, exportedName), Origin: origin, Accept: 'text/x-component' },
      multipart,
      maxRedirects: 0,
    });
    return { status: response.status(), text: await response.text() };
  }

  // The server writes denials within ~200 ms (batched): wait until `atLeast` are in.
  const denialCount = async (actorId: string, atLeast = 0) => {
    await flushEvents();
    const prisma = await getPrisma();
    const deadline = Date.now() + 5_000;
    for (;;) {
      const n = await prisma.auditEvent.count({ where: { type: 'admin.access.denied', actorId } });
      if (n >= atLeast || Date.now() > deadline) return n;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('an owner signs in through the provider and creates a tenant, an application and a user', { timeout: 180_000 }, async () => {
    await signInInBrowser(owner, bootstrapAdmin(env.server.output()));
    await owner.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect(owner.getByTestId('signed-in-as').textContent()).resolves.toContain('owner');
    await shot(owner, '01-overview');

    // Tenant: the browser checks the slug with the same schema as the server.
    await owner.goto(`${origin}/console/tenants`);
    await owner.getByLabel('Slug').fill('Not A Slug!');
    await owner.getByLabel('Display name').fill('Acme Corporation');
    await owner.getByRole('button', { name: 'Create tenant' }).click();
    await expect(owner.locator('#' + (await owner.getByLabel('Slug').getAttribute('aria-describedby'))!.split(' ').pop()).textContent()).resolves.toMatch(/lower-case/);
    await expect(owner.getByLabel('Slug').getAttribute('aria-invalid')).resolves.toBe('true');
    await owner.getByLabel('Slug').fill(slug);
    await owner.getByRole('button', { name: 'Create tenant' }).click();
    await owner.waitForURL(`${origin}/console/tenants/${slug}?created=1`);
    const tenant = (await findTenantBySlug(slug))!;
    expect(tenant.displayName).toBe('Acme Corporation');
    expect((await listSigningKeys(tenant.id)).map((k) => k.status).sort()).toEqual(['current', 'next']);
    await owner.getByRole('heading', { name: 'Sign-ins, last 24 hours' }).waitFor();
    await owner.goto(`${origin}/console/tenants`);
    await shot(owner, '02-tenants');

    // Application: a web client; its secret is shown once, right after creation.
    await owner.goto(`${origin}/console/tenants/${slug}/clients/new`);
    await owner.getByLabel('Name', { exact: true }).fill('Customer portal');
    await owner.getByLabel('Redirect URIs', { exact: true }).fill('http://app.example.com/callback');
    await owner.getByRole('button', { name: 'Register application' }).click();
    await expect(owner.getByText('http://app.example.com/callback must use https').textContent()).resolves.toContain('https');
    await owner.getByLabel('Redirect URIs', { exact: true }).fill(REDIRECT_URI);
    await owner.getByRole('button', { name: 'Register application' }).click();
    await owner.getByTestId('client-secret').waitFor();
    created.clientSecret = (await owner.getByTestId('client-secret').textContent())!;
    created.clientId = (await owner.getByTestId('created-client-id').textContent())!;
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(32);
    await shot(owner, '03-client-created');
    const client = (await listClients(tenant.id)).find((c) => c.clientId === created.clientId);
    expect(client).toMatchObject({ name: 'Customer portal', kind: 'web', redirectUris: [REDIRECT_URI], hasSecret: true });

    // The detail page: quick start, and never the secret again.
    await owner.getByRole('link', { name: /Open the application/ }).click();
    await owner.getByRole('heading', { name: 'Quick start' }).waitFor();
    await expect(owner.getByTestId('quickstart-discovery-url').textContent()).resolves.toBe(`${origin}/t/${slug}/.well-known/openid-configuration`);
    expect(await owner.content()).not.toContain(created.clientSecret);
    await shot(owner, '04-client-detail');

    // User with an initial password.
    await owner.goto(`${origin}/console/tenants/${slug}/users/new`);
    await owner.getByLabel('Username').fill('alice');
    await owner.getByLabel('Email (optional)').fill('alice@example.com');
    await owner.getByLabel('Email address is verified').check();
    await owner.getByLabel('Full name (optional)').fill('Alice Example');
    await owner.getByLabel('Initial password (optional)').fill(created.userPassword);
    await owner.getByRole('button', { name: 'Create user' }).click();
    await owner.waitForURL(/\/users\/[0-9a-f-]{36}\?created=1$/);
    created.userId = /users\/([0-9a-f-]{36})/.exec(owner.url())![1];
    await owner.getByRole('heading', { name: 'Sessions and grants (0)' }).waitFor();
    await shot(owner, '05a-user-detail');
    await expect(getUserOrThrowDto(tenant.id, created.userId)).resolves.toMatchObject({ username: 'alice', email: 'alice@example.com', emailVerified: true });
    await owner.goto(`${origin}/console/tenants/${slug}/users`);
    await expect(owner.getByTestId('user-total').textContent()).resolves.toContain('1 user');
    await shot(owner, '05-users');
  });

  it('the new user signs in to the new application with openid-client, and the ID token validates', { timeout: 120_000 }, async () => {
    const issuer = `${origin}/t/${slug}`;
    const config = await oidc.discovery(new URL(issuer), created.clientId, created.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce });
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    const callback = new Promise<URL>((resolve) => {
      void page.route(`${REDIRECT_URI}**`, async (route) => {
        resolve(new URL(route.request().url()));
        await route.fulfill({ contentType: 'text/html', body: '<h1>Signed in</h1>' });
      });
    });
    await page.goto(url.href);
    await page.getByLabel('Username or email').fill('alice');
    await page.getByLabel('Password').fill(created.userPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Authorize access' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    const tokens = await oidc.authorizationCodeGrant(config, await callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ sub: created.userId, iss: issuer, aud: created.clientId });
    created.idToken = tokens.id_token!;
    await page.context().close();
  });

  it('the owner rotates the keys in the console; the token issued before still verifies against the JWKS', { timeout: 120_000 }, async () => {
    const tenant = (await findTenantBySlug(slug))!;
    const before = await listSigningKeys(tenant.id);
    const oldCurrent = before.find((k) => k.status === 'current')!.kid;
    const oldNext = before.find((k) => k.status === 'next')!.kid;
    expect(jose.decodeProtectedHeader(created.idToken).kid).toBe(oldCurrent);

    await owner.goto(`${origin}/console/tenants/${slug}/keys`);
    await shot(owner, '06-keys');
    await owner.getByRole('button', { name: 'Rotate now' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Rotate the signing keys now?' });
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('stays published');
    await owner.screenshot({ path: path.join(SCREENSHOTS, '07-keys-rotate-dialog.png') });
    await dialog.getByRole('button', { name: 'Rotate keys' }).click();
    await owner.getByRole('status').filter({ hasText: 'Keys rotated' }).waitFor();

    const after = await listSigningKeys(tenant.id);
    expect(after.find((k) => k.status === 'current')!.kid).toBe(oldNext);
    expect(after.find((k) => k.status === 'previous')!.kid).toBe(oldCurrent);
    const newNext = after.find((k) => k.status === 'next')!.kid;
    await owner.getByTestId('key-previous').waitFor();
    await shot(owner, '08-keys-rotated');

    const issuer = `${origin}/t/${slug}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const kids = ((await (await fetch(`${issuer}/jwks`)).json()) as jose.JSONWebKeySet).keys.map((k) => k.kid);
      if (kids.includes(newNext)) {
        expect(kids).toEqual(expect.arrayContaining([oldCurrent, oldNext, newNext]));
        break;
      }
      if (Date.now() > deadline) throw new Error('the provider did not pick up the rotation within 15 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const { payload } = await jose.jwtVerify(created.idToken, jose.createRemoteJWKSet(new URL(`${issuer}/jwks`)), { issuer, audience: created.clientId });
    expect(payload.sub).toBe(created.userId);
    const events = await listAuditEvents({ tenantId: tenant.id, type: 'key.rotated' });
    expect(events.events[0]).toMatchObject({ actorType: 'admin', outcome: 'success' });
  });

  it('shows the settings, audit log and administrators pages to the owner', { timeout: 60_000 }, async () => {
    await owner.goto(`${origin}/console/tenants/${slug}/settings`);
    await owner.getByLabel('Access token lifetime (seconds)').fill('30');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await expect(owner.getByText('60–86400').textContent()).resolves.toBeTruthy();
    await expect(owner.getByLabel('Access token lifetime (seconds)').getAttribute('aria-invalid')).resolves.toBe('true');
    await owner.getByLabel('Access token lifetime (seconds)').fill('900');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    expect((await findTenantBySlug(slug))!.settings.accessTokenTtlSeconds).toBe(900);
    await shot(owner, '09-settings');

    await owner.goto(`${origin}/console/audit`);
    await owner.getByRole('heading', { name: 'Audit log' }).waitFor();
    // Actors are shown by name (the settings change above was the bootstrap owner, "admin"), the id in the link's title.
    await owner.locator('a[title^="Only events by "]', { hasText: /^admin$/ }).first().waitFor();
    await shot(owner, '10-audit');
    await owner.goto(`${origin}/console/admins`);
    await owner.getByRole('heading', { name: 'Administrators' }).waitFor();
    await shot(owner, '11-admins');
    await owner.goto(`${origin}/console/tenants/${slug}`);
    await shot(owner, '12-tenant-overview');
  });

  it('destructive actions confirm first: rotating a client secret, deleting a tenant by typing its slug', { timeout: 120_000 }, async () => {
    const issuer = `${origin}/t/${slug}`;
    const introspect = (secret: string) =>
      fetch(`${issuer}/token/introspection`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(created.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect((await introspect(created.clientSecret)).status).toBe(200);

    await owner.goto(`${origin}/console/tenants/${slug}/clients/${created.clientId}`);
    await owner.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Rotate the client secret?' });
    await dialog.waitFor();
    // Escape cancels, with nothing changed.
    await owner.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await introspect(created.clientSecret)).status).toBe(200);
    await owner.getByRole('button', { name: 'Rotate secret' }).click();
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    await owner.getByTestId('client-secret').waitFor();
    const rotated = (await owner.getByTestId('client-secret').textContent())!;
    expect(rotated).not.toBe(created.clientSecret);
    expect((await introspect(created.clientSecret)).status).toBe(401);
    expect((await introspect(rotated)).status).toBe(200);
    await shot(owner, '04b-client-secret-rotated');
    // Shown once: a reload shows no secret.
    await owner.reload();
    await owner.getByRole('heading', { name: 'Quick start' }).waitFor();
    expect(await owner.getByTestId('client-secret').count()).toBe(0);
    expect(await owner.content()).not.toContain(rotated);
    created.clientSecret = rotated;

    const doomed = await createTenant({ slug: `doomed-${crypto.randomBytes(3).toString('hex')}`, displayName: 'Doomed' }, system);
    await owner.goto(`${origin}/console/tenants/${doomed.slug}/settings`);
    await owner.getByRole('button', { name: 'Delete tenant' }).click();
    const confirm = owner.getByRole('dialog', { name: 'Delete Doomed?' });
    const submit = confirm.getByRole('button', { name: 'Delete tenant for good' });
    await expect(submit.isDisabled()).resolves.toBe(true);
    await confirm.getByLabel(/to confirm/).fill('doomed');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await owner.screenshot({ path: path.join(SCREENSHOTS, '09a-delete-tenant-dialog.png') });
    await confirm.getByLabel(/to confirm/).fill(doomed.slug);
    await submit.click();
    await owner.waitForURL(`${origin}/console/tenants`);
    expect(await findTenantBySlug(doomed.slug)).toBeNull();
    expect(await owner.getByTestId(`tenant-row-${doomed.slug}`).count()).toBe(0);
  });

  it('an auditor reads every page, and the server refuses every write', { timeout: 180_000 }, async () => {
    const adminTenant = (await findAdminTenant())!;
    const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
    const auditor = await createUser(adminTenant.id, { username: 'audrey', name: 'Audrey Auditor', password }, system);

    // The owner grants the role in the console.
    await owner.goto(`${origin}/console/admins`);
    await owner.getByLabel('Administrator (username in the admin tenant)').fill('audrey');
    await owner.getByLabel('Role', { exact: true }).selectOption('auditor');
    await owner.getByRole('button', { name: 'Grant role' }).click();
    await owner.getByRole('status').filter({ hasText: 'Role granted' }).waitFor();
    await owner.getByTestId('binding-audrey-auditor').waitFor();

    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await signInInBrowser(page, { username: 'audrey', password });
    const tenant = (await findTenantBySlug(slug))!;
    const client = (await listClients(tenant.id)).find((c) => c.clientId === created.clientId)!;
    const clientsBefore = (await listClients(tenant.id)).map((c) => c.clientId);

    // Reads: every page renders, without write controls.
    for (const [pagePath, heading] of [
      [`/console/tenants/${slug}`, 'Acme Corporation'],
      [`/console/tenants/${slug}/clients`, 'Applications'],
      [`/console/tenants/${slug}/clients/${client.clientId}`, 'Customer portal'],
      [`/console/tenants/${slug}/users`, 'Users'],
      [`/console/tenants/${slug}/users/${created.userId}`, 'Alice Example'],
      [`/console/tenants/${slug}/keys`, 'Signing keys'],
      [`/console/tenants/${slug}/settings`, 'Settings'],
      ['/console/audit', 'Audit log'],
    ]) {
      await page.goto(`${origin}${pagePath}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    }
    await page.goto(`${origin}/console/tenants/${slug}/keys`);
    expect(await page.getByRole('button', { name: 'Rotate now' }).count()).toBe(0);
    await page.goto(`${origin}/console/tenants/${slug}/clients`);
    expect(await page.getByRole('link', { name: 'Register application' }).count()).toBe(0);
    await shot(page, '13-auditor-clients');
    // The owner-only page is refused outright.
    await page.goto(`${origin}/console/admins`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();

    // Writes, sent as the browser would send them: the server refuses each one.
    const tenantsBefore = (await listTenants('all')).length;
    const keysBefore = (await listSigningKeys(tenant.id)).map((k) => `${k.kid}:${k.status}`);
    const deniedBefore = await denialCount(auditor.id);
    const base = 'app/console/(shell)';
    const writes: [string, string, string, Record<string, string>][] = [
      ['/console/tenants', `${base}/tenants/actions.ts`, 'createTenantAction', { slug: 'auditor-made', displayName: 'Nope' }],
      [`/console/tenants/${slug}/settings`, `${base}/tenants/[slug]/settings/actions.ts`, 'updateTenantSettingsAction', { slug, displayName: 'Renamed by auditor', allowedGrantTypes: 'authorization_code' }],
      [`/console/tenants/${slug}/settings`, `${base}/tenants/[slug]/settings/actions.ts`, 'deleteTenantAction', { slug, confirmation: slug }],
      [`/console/tenants/${slug}/clients/new`, `${base}/tenants/[slug]/clients/actions.ts`, 'createClientAction', { slug, name: 'Rogue', kind: 'machine' }],
      [`/console/tenants/${slug}/clients/${client.clientId}`, `${base}/tenants/[slug]/clients/[clientId]/actions.ts`, 'rotateClientSecretAction', { slug, clientId: client.clientId }],
      [`/console/tenants/${slug}/clients/${client.clientId}`, `${base}/tenants/[slug]/clients/[clientId]/actions.ts`, 'deleteClientAction', { slug, clientId: client.clientId }],
      [`/console/tenants/${slug}/users/${created.userId}`, `${base}/tenants/[slug]/users/[userId]/actions.ts`, 'setUserDisabledAction', { slug, userId: created.userId, disabled: 'true' }],
      [`/console/tenants/${slug}/users/${created.userId}`, `${base}/tenants/[slug]/users/[userId]/actions.ts`, 'setTemporaryPasswordAction', { slug, userId: created.userId, password: 'auditor-was-here-123' }],
      [`/console/tenants/${slug}/keys`, `${base}/tenants/[slug]/keys/actions.ts`, 'rotateKeysAction', { slug }],
      ['/console/admins', `${base}/admins/actions.ts`, 'grantRoleAction', { username: 'audrey', role: 'owner', tenantSlug: '*' }],
    ];
    for (const [pagePath, file, name, fields] of writes) {
      const { status, text } = await callServerAction(page, pagePath, file, name, fields);
      expect(status, `${name}: ${text.slice(0, 300)}`).toBe(200);
      // Tenant actions name the tenant they were refused in: the slug reached the server.
      expect(text, name).toContain(fields.slug && name !== 'createTenantAction' ? 'in this tenant' : 'you do not have permission to');
    }

    // Nothing changed, and each refusal is in the audit log.
    expect((await listTenants('all')).length).toBe(tenantsBefore);
    expect(await findTenantBySlug('auditor-made')).toBeNull();
    const after = (await findTenantBySlug(slug))!;
    expect(after.displayName).toBe('Acme Corporation');
    expect((await listClients(tenant.id)).map((c) => c.clientId)).toEqual(clientsBefore);
    expect((await listSigningKeys(tenant.id)).map((k) => `${k.kid}:${k.status}`)).toEqual(keysBefore);
    await expect(getUserOrThrowDto(tenant.id, created.userId)).resolves.toMatchObject({ disabled: false, mustChangePassword: false });
    const prisma = await getPrisma();
    expect(await prisma.adminRoleBinding.count({ where: { userId: auditor.id } })).toBe(1);
    expect((await denialCount(auditor.id, deniedBefore + writes.length)) - deniedBefore).toBeGreaterThanOrEqual(writes.length);

    // The same request from the owner succeeds: the refusal is the role, not the request's shape.
    const ownerCall = await callServerAction(owner, `/console/tenants/${slug}/settings`, `${base}/tenants/[slug]/settings/actions.ts`, 'updateTenantSettingsAction', { slug, displayName: 'Acme Corporation', allowedGrantTypes: 'authorization_code' });
    expect(ownerCall.text).toContain('Settings saved');
    await prisma.tenant.update({ where: { id: tenant.id }, data: { settings: { ...after.settings } } });

    // Auditors export reports: the export streams CSV and is itself an audit event.
    const csv = await page.request.get(`${origin}/console/audit/export?format=csv&tenant=${tenant.id}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const body = await csv.text();
    expect(body.split('\r\n')[0]).toBe('id,time,type,outcome,tenantId,actorType,actorId,subject,clientId,ip,userAgent,reason,details');
    expect(body).toContain('key.rotated');
    const json = await page.request.get(`${origin}/console/audit/export?format=json&type=tenant.`);
    const events = (await json.json()) as { type: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type.startsWith('tenant.'))).toBe(true);
    await flushEvents();
    await new Promise((r) => setTimeout(r, 500));
    expect((await listAuditEvents({ type: 'audit.exported', actor: auditor.id })).events.length).toBe(2);
    await page.context().close();
  });

  it('a helpdesk admin scoped to one tenant sees only that tenant', { timeout: 180_000 }, async () => {
    const adminTenant = (await findAdminTenant())!;
    const other = await createTenant({ slug: `other-${crypto.randomBytes(3).toString('hex')}`, displayName: 'Other Tenant' }, system);
    const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
    const helpdesk = await createUser(adminTenant.id, { username: 'hank', name: 'Hank Helpdesk', password }, system);
    await grantRole({ username: 'hank', role: 'helpdesk', tenantSlug: slug }, system);

    const context: BrowserContext = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInInBrowser(page, { username: 'hank', password });
    await expect(page.getByTestId('tenant-cards').getByRole('link', { name: 'Acme Corporation' }).count()).resolves.toBe(1);
    expect(await page.getByTestId('tenant-cards').locator('li').count()).toBe(1);

    await page.goto(`${origin}/console/tenants`);
    await page.getByTestId(`tenant-row-${slug}`).waitFor();
    expect(await page.getByTestId(`tenant-row-${other.slug}`).count()).toBe(0);
    expect(await page.getByTestId('tenant-row-admin').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create tenant' }).count()).toBe(0);

    // Their tenant's users, with support actions.
    await page.goto(`${origin}/console/tenants/${slug}/users/${created.userId}`);
    await page.getByRole('button', { name: 'Disable user' }).waitFor();
    expect(await page.getByRole('button', { name: 'Delete user' }).count()).toBe(0);
    // Helpdesk resets a user's second factor (the user enrolled an authenticator first).
    const acme = (await findTenantBySlug(slug))!;
    const enrolment = await startTotpEnrolment(acme, { id: created.userId, username: 'alice' });
    await confirmTotpEnrolment(acme, created.userId, await nextTotpCode(enrolment.secret));
    await page.reload();
    await expect(page.getByTestId('mfa-status').textContent()).resolves.toContain('authenticator app');
    await page.getByRole('button', { name: 'Reset MFA' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset MFA' }).click();
    // The button goes with the factor; the status line (a live region) says what happened.
    await page.getByTestId('mfa-status').filter({ hasText: /^none$/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Reset MFA' }).count()).toBe(0);
    expect((await getMfaStatus(created.userId)).totpEnrolled).toBe(false);
    await shot(page, '14a-helpdesk-user');

    // Anything outside the scope: the forbidden page, by direct URL.
    const deniedBefore = await denialCount(helpdesk.id);
    for (const pagePath of [`/console/tenants/${other.slug}`, `/console/tenants/${other.slug}/users`, `/console/tenants/admin/users`, `/console/tenants/${slug}/clients`, `/console/tenants/${slug}/keys`, '/console/audit', '/console/admins', `/console/tenants/no-such-tenant/users`]) {
      await page.goto(`${origin}${pagePath}`);
      await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
      expect(await page.content(), pagePath).not.toContain('Other Tenant');
    }
    expect((await denialCount(helpdesk.id, deniedBefore + 7)) - deniedBefore).toBeGreaterThanOrEqual(7);
    await shot(page, '14-helpdesk-forbidden');
    const otherUser = await createUser(other.id, { username: 'olivia', password: `pw-${crypto.randomBytes(9).toString('base64url')}` }, system);
    const refused = await callServerAction(page, `/console/tenants/${slug}/users/${created.userId}`, 'app/console/(shell)/tenants/[slug]/users/[userId]/actions.ts', 'setUserDisabledAction', { slug: other.slug, userId: otherUser.id, disabled: 'true' });
    expect(refused.text).toContain('you do not have permission to');
    await expect(getUserOrThrowDto(other.id, otherUser.id)).resolves.toMatchObject({ disabled: false });
    // A user id of another tenant, sent with their own tenant's slug, is simply not found there.
    const crossed = await callServerAction(page, `/console/tenants/${slug}/users/${created.userId}`, 'app/console/(shell)/tenants/[slug]/users/[userId]/actions.ts', 'setUserDisabledAction', { slug, userId: otherUser.id, disabled: 'true' });
    expect(crossed.text).toContain('no such user in this tenant');
    await expect(getUserOrThrowDto(other.id, otherUser.id)).resolves.toMatchObject({ disabled: false });
    const exportRefused = await page.request.get(`${origin}/console/audit/export?format=csv`);
    expect(exportRefused.status()).toBe(403);

    // The same scoped view on a phone-sized screen.
    await page.setViewportSize(PHONE);
    await page.goto(`${origin}/console/tenants/${slug}/users`);
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '15-helpdesk-users-phone.png'), fullPage: true });
    await context.close();
  });

  it('lists users with prefix search, a status filter and keyset pagination', { timeout: 120_000 }, async () => {
    const tenant = (await findTenantBySlug(slug))!;
    const bulk = [];
    for (let i = 0; i < 30; i++) bulk.push(await createUser(tenant.id, { username: `bulk-${String(i).padStart(2, '0')}` }, system));
    await setUserDisabled(tenant.id, bulk[7].id, true, system);
    const base = `${origin}/console/tenants/${slug}/users`;
    const rows = () => owner.locator('table tbody tr');

    await owner.goto(base);
    await expect(owner.getByTestId('user-total').textContent()).resolves.toContain('31 users');
    expect(await rows().count()).toBe(25);
    await owner.getByRole('link', { name: /Next page/ }).click();
    await owner.waitForURL(/after=bulk-23/);
    expect(await rows().count()).toBe(6);
    expect(await owner.getByRole('link', { name: /Next page/ }).count()).toBe(0);
    await owner.getByRole('link', { name: /First page/ }).click();
    await owner.waitForURL(base);

    await owner.getByLabel('Search').fill('BULK-1');
    await owner.getByRole('button', { name: 'Apply' }).click();
    await owner.waitForURL(/q=BULK-1/);
    await expect(owner.getByTestId('user-total').textContent()).resolves.toContain('10 users match');
    await owner.getByLabel('Search').fill('');
    await owner.getByLabel('Status').selectOption('disabled');
    await owner.getByRole('button', { name: 'Apply' }).click();
    await owner.waitForURL(/status=disabled/);
    await expect(owner.getByTestId('user-total').textContent()).resolves.toContain('1 user match');
    await expect(rows().first().textContent()).resolves.toContain('bulk-07');
    // Malformed query parameters are ignored, never an error page.
    const response = await owner.goto(`${base}?status=bogus&after=${'x'.repeat(500)}`);
    expect(response!.status()).toBe(200);
  });

  it('lays the main pages out on a phone-sized screen', { timeout: 60_000 }, async () => {
    await owner.setViewportSize(PHONE);
    await owner.goto(`${origin}/console/tenants/${slug}`);
    await owner.getByRole('heading', { name: 'Sign-ins, last 30 days' }).waitFor();
    await owner.screenshot({ path: path.join(SCREENSHOTS, '16-tenant-overview-phone.png'), fullPage: true });
    // Nothing wider than the screen except inside scrollable tables.
    const overflow = await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await owner.goto(`${origin}/console/tenants/${slug}/clients/${created.clientId}`);
    await owner.screenshot({ path: path.join(SCREENSHOTS, '17-client-detail-phone.png'), fullPage: true });
    expect(await owner.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // Tables become cards of labelled lines: nothing is left off to the side.
    await owner.goto(`${origin}/console/tenants/${slug}/users`);
    await owner.getByTestId('user-total').waitFor();
    await owner.screenshot({ path: path.join(SCREENSHOTS, '18-users-phone.png'), fullPage: true });
    const table = await owner.evaluate(() => {
      const wrapper = document.querySelector('[data-table]')!;
      const cell = wrapper.querySelector('tbody td')!;
      return { hidden: wrapper.scrollWidth - wrapper.clientWidth, label: getComputedStyle(cell, '::before').content, display: getComputedStyle(cell).display };
    });
    expect(table).toEqual({ hidden: 0, label: '"Username"', display: 'block' });
    await owner.setViewportSize(DESKTOP);
    await owner.reload();
    expect(await owner.evaluate(() => getComputedStyle(document.querySelector('[data-table] tbody td')!).display)).toBe('table-cell');
  });
});

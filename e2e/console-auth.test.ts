import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { bootstrapAdmin, signInToConsole } from './support/console';

const run = requirement('postgres');

describe.runIf(run)('console sign-in through the admin tenant (the console is an OIDC client of our own issuer)', () => {
  let env: TestEnvironment;
  beforeAll(async () => {
    env = await setupServerEnvironment();
  });
  afterAll(async () => env?.teardown());

  it('redirects an anonymous visitor to the provider and back to the console after login', async () => {
    const { html, url, browser } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()), '/console');
    expect(url).toBe(`${env.server.origin}/console`);
    expect(html).toContain('Overview');
    expect(html).toContain('owner');
    const cookie = browser.jar.header(`${env.server.origin}/console`);
    expect(cookie).toMatch(/iam_console=/);
  });

  it('refuses a wrong password with the generic message and never opens a session', async () => {
    const { html, url } = await signInToConsole(env.server.origin, { username: 'admin', password: 'wrong-password' });
    expect(url).toContain('/interaction/');
    expect(html).toContain('Incorrect username or password.');
  });

  it('signs out of the console and of the provider', async () => {
    const { browser } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()));
    const logout = await browser.request(`${env.server.origin}/console/auth/logout`, { form: {}, headers: { origin: env.server.origin } });
    expect(logout.status).toBe(303);
    const endSession = new URL(logout.headers.get('location')!);
    expect(endSession.pathname).toBe('/t/admin/session/end');
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    // The console session is gone at once.
    const after = await browser.request(`${env.server.origin}/console`);
    expect(after.status).toBe(307);
    expect(after.headers.get('location')).toContain('/console/auth/login');
  });

  it('never redirects outside the console after sign-in (no open redirect)', async () => {
    const { url } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()), '/console/auth/login?returnTo=//evil.example/x');
    expect(url).toBe(`${env.server.origin}/console`);
  });
});

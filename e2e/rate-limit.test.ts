import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createClient } from '@/lib/clients';
import { createPolicy } from '@/lib/ratelimit';
import { unlockUser } from '@/lib/users';
import { getPrisma } from '@/lib/db';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { HttpBrowser, formAction, hiddenInput } from './support/browserless';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';
import type { RunningServer } from './support/server';
import { basicAuth } from './support/token-client';

const run = requirement('postgres');
const system = { type: 'system' as const, id: 'test' };

async function ccToken(server: RunningServer, seeded: SeededTenant) {
  return fetch(`${server.origin}/t/${seeded.slug}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(seeded.machine.clientId, seeded.machine.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

describe.runIf(run)('rate limits (RATE_LIMIT_PER_MINUTE=5), shared by two instances on one Postgres', () => {
  let env: TestEnvironment;
  let second: RunningServer;
  beforeAll(async () => {
    env = await setupServerEnvironment({ RATE_LIMIT_PER_MINUTE: '5' });
    second = await env.startAnother({ PUBLIC_ORIGIN: env.server.origin });
  });
  afterAll(async () => env?.teardown());

  it('allows exactly the limit, then answers 429 with Retry-After and RateLimit headers in OAuth shape', async () => {
    const seeded = await seedTenant('rl');
    for (let i = 0; i < 5; i++) {
      const ok = await ccToken(env.server, seeded);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-policy')).toBe('"token-ip";q=5;w=60');
      expect(ok.headers.get('ratelimit')).toMatch(new RegExp(`^"token-ip";r=${4 - i};t=\\d+$`));
    }
    const refused = await ccToken(env.server, seeded);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/^"token-ip";r=0;t=\d+$/);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('counts exactly under concurrency across two server processes', async () => {
    const seeded = await seedTenant('rl');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ccToken(i % 2 ? second : env.server, seeded)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it("applies a tenant's own policy (per client) within seconds of its creation", async () => {
    const seeded = await seedTenant('rl');
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'ip', limit: 1000, windowSeconds: 60 }, system);
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'client', limit: 2, windowSeconds: 60 }, system);
    await new Promise((r) => setTimeout(r, 5_500));
    // A client_id is public: requests that fail client authentication spend nothing of its budget.
    for (let i = 0; i < 4; i++) {
      const stranger = await fetch(`${env.server.origin}/t/${seeded.slug}/token`, {
        method: 'POST',
        headers: { authorization: basicAuth(seeded.machine.clientId, 'not-its-secret'), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(stranger.status).toBe(401);
    }
    const allowed = await ccToken(env.server, seeded);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('ratelimit')).toMatch(/^"token-client";r=1;t=\d+$/);
    expect((await ccToken(env.server, seeded)).status).toBe(200);
    const refused = await ccToken(env.server, seeded);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit')).toMatch(/^"token-client";r=0;t=\d+$/);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('a per-client limit also counts a client that authenticates in the request body (client_secret_post)', async () => {
    const seeded = await seedTenant('rl');
    const poster = await createClient(seeded.tenant.id, { name: 'Posting machine', kind: 'machine', tokenEndpointAuthMethod: 'client_secret_post' }, system);
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'ip', limit: 1000, windowSeconds: 60 }, system);
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'client', limit: 2, windowSeconds: 60 }, system);
    await new Promise((r) => setTimeout(r, 5_500));
    const post = () =>
      fetch(`${env.server.origin}/t/${seeded.slug}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: poster.clientId, client_secret: poster.clientSecret! }).toString(),
      });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('a generous limit, counted in blocks per process, is never exceeded by two processes together', async () => {
    const seeded = await seedTenant('rl');
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'ip', limit: 1000, windowSeconds: 60 }, system);
    await createPolicy(seeded.tenant.id, { endpoint: 'token', keyType: 'client', limit: 150, windowSeconds: 60 }, system);
    await new Promise((r) => setTimeout(r, 5_500));
    const statuses: number[] = [];
    for (let batch = 0; batch < 22; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => ccToken(i % 2 ? second : env.server, seeded)))).map((r) => r.status));
    }
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeLessThanOrEqual(150);
    expect(allowed).toBeGreaterThanOrEqual(144); // near the limit blocks shrink to single points
    expect(statuses.filter((s) => s === 429)).toHaveLength(statuses.length - allowed);
    // Every point handed out was first taken from the shared counter.
    const counter = await (await getPrisma()).rateLimitCounter.findFirstOrThrow({ where: { key: { endsWith: `:${seeded.machine.clientId}` } } });
    expect(counter.points).toBeGreaterThanOrEqual(allowed);
  });
});

describe.runIf(run)('brute force: account lockout and credential stuffing', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let config: oidc.Configuration;
  beforeAll(async () => {
    env = await setupServerEnvironment({ TRUSTED_PROXIES: '127.0.0.1,::1' });
    seeded = await seedTenant('bf');
    config = await oidc.discovery(new URL(`${env.server.origin}/t/${seeded.slug}`), seeded.web.clientId, seeded.web.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(async () => env?.teardown());

  /** One password attempt from a given client address (via the trusted proxy's X-Forwarded-For). */
  async function attempt(ip: string, username: string, password: string) {
    const browser = new HttpBrowser();
    const headers = { 'x-forwarded-for': ip };
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', state: 's', prompt: 'login' });
    let response = await browser.request(url.href, { headers });
    let location = new URL(response.headers.get('location')!, url).href;
    response = await browser.request(location, { headers });
    const html = await response.text();
    const origin = env.server.origin;
    response = await browser.request(new URL(formAction(html, 'login')!, origin).href, { form: { csrf: hiddenInput(html, 'csrf')!, username, password }, headers: { ...headers, origin } });
    location = response.headers.get('location')!;
    return location.includes('error=') ? new URL(location).searchParams.get('error') : 'ok';
  }

  it('locks an account after 10 wrong passwords, except from an address its owner used before; helpdesk unlock', async () => {
    expect(await attempt('198.51.100.7', 'alice', seeded.user.password)).toBe('ok'); // the owner's usual address
    for (let i = 0; i < 10; i++) expect(await attempt(`203.0.113.${i + 1}`, 'alice', 'wrong-password')).toBe('invalid_credentials');
    expect(await attempt('203.0.113.50', 'alice', seeded.user.password)).toBe('invalid_credentials'); // locked, same answer
    expect(await attempt('198.51.100.7', 'alice', seeded.user.password)).toBe('ok'); // known address: not locked out
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.count({ where: { type: 'user.locked', subject: seeded.user.id } })).toBeGreaterThanOrEqual(1);

    for (let i = 0; i < 10; i++) await attempt(`203.0.113.${i + 100}`, 'alice', 'wrong-password');
    await unlockUser(seeded.tenant.id, seeded.user.id, { type: 'admin', id: 'helpdesk' });
    expect(await attempt('203.0.113.200', 'alice', seeded.user.password)).toBe('ok');
  }, 120_000);

  it('refuses an address that fails across many accounts (credential stuffing) and records it', async () => {
    const stuffer = '192.0.2.66';
    for (let i = 0; i < 30; i++) await attempt(stuffer, `user${i}@example.com`, 'Password1!');
    expect(await attempt(stuffer, 'alice', seeded.user.password)).toBe('rate_limited');
    expect(await attempt('192.0.2.67', 'alice', seeded.user.password)).toBe('ok');
    const prisma = await getPrisma();
    await new Promise((r) => setTimeout(r, 500));
    expect(await prisma.auditEvent.count({ where: { type: 'threat.credential_stuffing.detected', ip: stuffer } })).toBe(1);
  }, 120_000);
});

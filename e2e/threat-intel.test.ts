import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushEvents } from '@/lib/audit';
import { getPrisma } from '@/lib/db';
import { addManualIoc, createFeed, listFeeds } from '@/lib/threats';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { basicAuth } from './support/token-client';
import { formAction, hiddenInput, HttpBrowser } from './support/browserless';
import { bootstrapAdmin, signInToConsole } from './support/console';
import type { RunningServer } from './support/server';

const run = requirement('postgres');
const admin = { type: 'admin' as const, id: 'e2e', name: 'E2E' };

/** Feeds in every format, served from this process on loopback (no internet). */
const FIXTURES: Record<string, string> = {
  '/plain.txt': '# plain list\n203.0.113.0/24 ; listed net\n2001:db8:bad::/48\nthis line is bad\n',
  '/block.txt': '# DShield style\nStart\tEnd\tNetblock\tAttacks\n198.51.100.0\t198.51.100.255\t24\t42\n',
  '/feodo.json': JSON.stringify([{ ip_address: '192.0.2.10', port: 443 }, { ip_address: '192.0.2.11' }]),
  '/drop_v4.json': '{"cidr":"100.64.5.0/24","sblid":"SBL1"}\n{"type":"metadata","records":1}\n',
  '/bundle.json': JSON.stringify({
    type: 'bundle',
    id: 'bundle--e2e',
    objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--1', pattern_type: 'stix', pattern: "[ipv4-addr:value = '100.64.6.6'] OR [domain-name:value = 'stix.evil.example']", valid_from: '2026-01-01T00:00:00Z' }],
  }),
  '/disposable.txt': 'mailinator.example\n',
  '/tor.txt': '# exit nodes\n100.64.9.0/24\n',
};

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.runIf(run)('threat intelligence end to end (real server, local feed server, trusted X-Forwarded-For)', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let feeds: http.Server;
  let feedOrigin: string;
  let requests = 0;

  beforeAll(async () => {
    feeds = http.createServer((req, res) => {
      requests++;
      const body = FIXTURES[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => feeds.listen(0, '127.0.0.1', resolve));
    feedOrigin = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
    // The fixture feed server is on loopback, which feed fetches refuse unless allowed.
    process.env.THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS = 'true';
    env = await setupServerEnvironment({ TRUSTED_PROXIES: '127.0.0.1,::1', THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS: 'true' });
    seeded = await seedTenant('threat');
  });
  afterAll(async () => {
    await env?.teardown();
    feeds?.closeAllConnections();
    feeds?.close();
  });

  const discovery = (server: RunningServer, ip?: string) =>
    fetch(`${server.origin}/t/${seeded.slug}/.well-known/openid-configuration`, { headers: ip ? { 'x-forwarded-for': ip } : {} });

  const clientCredentials = (server: RunningServer, ip?: string) =>
    fetch(`${server.origin}/t/${seeded.slug}/token`, {
      method: 'POST',
      headers: { authorization: basicAuth(seeded.machine.clientId, seeded.machine.clientSecret), 'content-type': 'application/x-www-form-urlencoded', ...(ip ? { 'x-forwarded-for': ip } : {}) },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });

  it('the server creates the built-in feeds, disabled, and fetches nothing until asked', async () => {
    const all = await listFeeds();
    expect(all.filter((f) => f.builtin).length).toBeGreaterThanOrEqual(15);
    expect(all.every((f) => !f.enabled && f.lastFetchAt === null)).toBe(true);
    expect((await discovery(env.server, '203.0.113.9')).status).toBe(200);
  });

  it('feeds added in every format are fetched by the server’s scheduler', async () => {
    await createFeed({ name: 'E2E plain', url: `${feedOrigin}/plain.txt`, format: 'plain', kind: 'ip', enabled: true }, admin);
    await createFeed({ name: 'E2E DShield', url: `${feedOrigin}/block.txt`, format: 'csv', kind: 'ip', enabled: true, options: { csv: { delimiter: '\t', header: true, column: 'Start', prefixColumn: 'Netblock' } } }, admin);
    await createFeed({ name: 'E2E Feodo JSON', url: `${feedOrigin}/feodo.json`, format: 'json', kind: 'ip', enabled: true, options: { json: { path: '$[*].ip_address' } } }, admin);
    await createFeed({ name: 'E2E Spamhaus JSON Lines', url: `${feedOrigin}/drop_v4.json`, format: 'json', kind: 'ip', enabled: true, options: { json: { path: '$.cidr' } } }, admin);
    await createFeed({ name: 'E2E STIX', url: `${feedOrigin}/bundle.json`, format: 'stix', kind: 'ip', enabled: true }, admin);
    await createFeed({ name: 'E2E disposable', url: `${feedOrigin}/disposable.txt`, format: 'plain', kind: 'domain', enabled: true }, admin);
    await createFeed({ name: 'E2E Tor-like (challenge)', url: `${feedOrigin}/tor.txt`, format: 'plain', kind: 'ip', enabled: true, action: 'challenge' }, admin);
    // The scheduler ticks every 15 s and claims due feeds (next_fetch_at = now on creation).
    const fetched = await waitFor('every E2E feed fetched', async () => {
      const rows = (await listFeeds()).filter((f) => f.name.startsWith('E2E'));
      return rows.length === 7 && rows.every((f) => f.lastStatus === 'ok') && rows;
    });
    expect(Object.fromEntries(fetched.map((f) => [f.name, [f.entryCount, f.badLines]]))).toEqual({
      'E2E plain': [2, 1],
      'E2E DShield': [1, 0],
      'E2E Feodo JSON': [2, 0],
      'E2E Spamhaus JSON Lines': [1, 0],
      'E2E STIX': [2, 0],
      'E2E disposable': [1, 0],
      'E2E Tor-like (challenge)': [1, 0],
    });
    expect(requests).toBeGreaterThanOrEqual(6);
    const history = await (await getPrisma()).threatFeedFetch.count({ where: { outcome: 'ok' } });
    expect(history).toBeGreaterThanOrEqual(6);
  });

  it('blocks a listed client behind a trusted proxy: token endpoint (OAuth JSON) and login page (HTML)', async () => {
    // The fetching instance rebuilds its matcher at once; wait for it to answer 403.
    await waitFor('the listed address to be refused', async () => (await discovery(env.server, '203.0.113.9')).status === 403);

    const token = await clientCredentials(env.server, '198.51.100.20, 127.0.0.1');
    expect(token.status).toBe(403);
    expect(token.headers.get('content-type')).toMatch(/application\/json/);
    expect(await token.json()).toEqual({ error: 'access_denied', error_description: expect.any(String) });
    expect((await clientCredentials(env.server)).status).toBe(200);
    expect((await clientCredentials(env.server, '2001:db8:bad::77')).status).toBe(403);
    for (const ip of ['192.0.2.11', '100.64.5.1', '100.64.6.6']) expect((await clientCredentials(env.server, ip)).status, ip).toBe(403);

    // The login page: the authorization request from a clean address reaches the interaction;
    // the same page from a listed address is refused, and so is the password post.
    const authorize = `${env.server.origin}/t/${seeded.slug}/auth?${new URLSearchParams({ client_id: seeded.web.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: 's', nonce: 'n' })}`;
    const blockedAuthorize = await fetch(authorize, { redirect: 'manual', headers: { 'x-forwarded-for': '203.0.113.9', accept: 'text/html' } });
    expect(blockedAuthorize.status).toBe(403);
    expect(await blockedAuthorize.text()).toMatch(/Access denied/);
    const start = await fetch(authorize, { redirect: 'manual' });
    expect(start.status).toBeGreaterThanOrEqual(300);
    const loginUrl = new URL(start.headers.get('location')!, env.server.origin).href;
    const cookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const clean = await fetch(loginUrl, { headers: { cookie } });
    expect(clean.status).toBe(200);
    const listed = await fetch(loginUrl, { headers: { cookie, 'x-forwarded-for': '203.0.113.9', accept: 'text/html' } });
    expect(listed.status).toBe(403);
    expect(listed.headers.get('content-type')).toMatch(/text\/html/);
    expect(await listed.text()).toMatch(/threat-intelligence list/);
    const post = await fetch(`${loginUrl}/login`, {
      method: 'POST',
      headers: { cookie, origin: env.server.origin, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
      body: new URLSearchParams({ username: seeded.user.username, password: seeded.user.password }),
      redirect: 'manual',
    });
    expect(post.status).toBe(403);

    // Every hit is a security event (coalesced per address) and a metric.
    await waitFor('threat.ip.blocked events', async () => {
      await flushEvents();
      return (await (await getPrisma()).auditEvent.count({ where: { type: 'threat.ip.blocked', ip: '203.0.113.9' } })) > 0;
    });
    const metrics = await (await fetch(`${env.server.origin}/metrics`)).text();
    expect(metrics).toMatch(/iam_threat_hits_total\{source="E2E plain",action="block"\} \d+/);
    expect(metrics).toMatch(/iam_threat_ioc_entries\{family="ipv4"\} \d+/);
    expect(metrics).toMatch(/iam_threat_matcher_bytes \d+/);
    expect(metrics).toMatch(/iam_threat_feed_fetches_total\{feed="E2E plain",outcome="ok"\} 1/);
  });

  it('an address listed with the challenge action gets through the guard but must present a second factor at sign-in (refused when the account has none)', async () => {
    const authorize = `${env.server.origin}/t/${seeded.slug}/auth?${new URLSearchParams({ client_id: seeded.web.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', prompt: 'consent' })}`;
    /** Password sign-in from `ip`; returns the page that follows the password step. */
    const afterPassword = async (ip: string) => {
      const browser = new HttpBrowser();
      const headers = { 'x-forwarded-for': ip };
      let url = authorize;
      let response = await browser.request(url, { headers });
      const follow = async () => {
        while (response.status >= 300 && response.status < 400) {
          url = new URL(response.headers.get('location')!, url).href;
          if (url.startsWith(REDIRECT_URI)) return;
          response = await browser.request(url, { headers });
        }
      };
      await follow();
      const html = await response.text();
      expect(response.status, html.slice(0, 300)).toBe(200);
      response = await browser.request(new URL(formAction(html, 'login')!, env.server.origin).href, {
        form: { csrf: hiddenInput(html, 'csrf')!, username: seeded.user.username, password: seeded.user.password },
        headers: { ...headers, origin: env.server.origin },
      });
      await follow();
      return response.status === 200 ? await response.text() : `redirect ${url}`;
    };
    expect((await clientCredentials(env.server, '100.64.9.9')).status).toBe(200);
    // The seeded user has no authenticator: enrolling one here would let a password thief attach
    // their own, so the sign-in is refused instead.
    const challenged = await afterPassword('100.64.9.9');
    expect(challenged, challenged.replace(/<[^>]+>/g, ' ').slice(0, 400)).toContain('needs a second factor');
    expect(formAction(challenged, 'enrol') ?? formAction(challenged, 'consent')).toBeUndefined();
    const clean = await afterPassword('192.0.2.200');
    expect(formAction(clean, 'enrol') ?? formAction(clean, 'mfa')).toBeUndefined();
    expect(formAction(clean, 'consent') ?? clean).toBeTruthy();
    // The server writes its audit events in batches a moment later.
    const prisma = await getPrisma();
    await waitFor('the flagged address event', () => prisma.auditEvent.count({ where: { type: 'threat.ip.flagged', ip: '100.64.9.9' } }));
    const refusals = () => prisma.auditEvent.count({ where: { type: 'user.login.failed', subject: seeded.user.id, reason: { contains: 'risk signal' } } });
    await waitFor('the refused sign-in event', refusals);
    expect(await refusals()).toBe(1);
  });

  it('an allow-list entry for the tenant lets the listed address through (picked up by the poll)', async () => {
    await addManualIoc({ list: 'allow', value: '203.0.113.9', reason: 'e2e partner', tenantId: seeded.tenant.id }, admin);
    await waitFor('the allow entry to apply', async () => (await clientCredentials(env.server, '203.0.113.9')).status === 200);
    expect((await clientCredentials(env.server, '203.0.113.10')).status).toBe(403);
  });

  it('ignores a spoofed X-Forwarded-For when the connection is not from a trusted proxy', async () => {
    // Instances behind one load balancer share the public origin (the console client's redirect URI follows it).
    const untrusted = await env.startAnother({ TRUSTED_PROXIES: '', PUBLIC_ORIGIN: env.server.origin });
    expect((await clientCredentials(untrusted, '203.0.113.10')).status).toBe(200);
    expect((await discovery(untrusted, '203.0.113.10')).status).toBe(200);
    await untrusted.stop();
  });

  it('with THREAT_INTEL_ENABLED=false nothing is blocked (and nothing fetched)', async () => {
    const before = requests;
    const disabled = await env.startAnother({ THREAT_INTEL_ENABLED: 'false', PUBLIC_ORIGIN: env.server.origin });
    expect((await clientCredentials(disabled, '203.0.113.10')).status).toBe(200);
    expect((await discovery(disabled, '2001:db8:bad::1')).status).toBe(200);
    await disabled.stop();
    expect(requests).toBe(before);
  });

  it('the console shows feeds, lists and blocked addresses', async () => {
    const { browser, status, html, url } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()), '/console');
    expect(status, `${url}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 600)}`).toBe(200);
    const page = await (await browser.request(`${env.server.origin}/console/threats`)).text();
    expect(page).toContain('Threat intelligence');
    expect(page).toContain('E2E plain');
    expect(page).toContain('Spamhaus DROP');
    expect(page).toContain('203.0.113.9');
  });
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushEvents } from '@/lib/audit';
import { getPrisma } from '@/lib/db';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import type { GuardContext } from '@/lib/server/guards';
import { createTenant } from '@/lib/tenants';
import { downloadFeed, isPublicAddress } from './download';
import { currentSnapshot, rebuildIfStale, rebuildMatcher } from './engine';
import { threatGuard } from './guard';
import { flushHits } from './hits';
import { addManualIoc, createFeed, deleteFeed, ensureBuiltinFeeds, requestFeedFetch, setFeedEnabled, setPolicy, updateFeed } from './manage';
import { hitsPerSource, listFeeds, topBlockedIps, feedFetchHistory } from './queries';
import { claimDueFeed, runClaimedFeed, runDueFeeds } from './refresh-feed';
import { BUILTIN_FEEDS } from './builtin-feeds';
import { checkEmailDomain, checkDomain, threatVerdictFor } from './verdict';

const actor = { type: 'admin' as const, id: 'test-admin', name: 'Test Admin' };

/** A local feed server: each path's answer can be changed during the test. */
type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Route>();
const text = (body: string, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', ...headers });
  res.end(body);
};

let server: http.Server;
let origin: string;

function fakeContext(ip: string, opts: Partial<GuardContext> = {}) {
  const headers: Record<string, string> = {};
  let body = '';
  const res = {
    statusCode: 200,
    setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = v),
    end: (chunk?: string) => void (body = chunk ?? ''),
  };
  const ctx = { req: { headers: { 'user-agent': 'vitest', accept: 'text/html' } }, res, ip, method: 'GET', path: '/t/x/interaction/abc', tenantSlug: null, endpoint: 'interaction', ...opts } as unknown as GuardContext;
  return { ctx, res, headers, body: () => body };
}

describe('threat intelligence on the database', () => {
  let tenantId: string;
  let tenantSlug: string;

  beforeAll(async () => {
    // The fixture feed server listens on loopback, an internal address refused by default.
    process.env.THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS = 'true';
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('iam.config')];
    await openMemoryDatabase();
    server = http.createServer((req, res) => {
      const route = routes.get(req.url ?? '/');
      if (route) route(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tenant = await createTenant({ slug: 'threat-unit', displayName: 'Threat Unit' }, { type: 'system', id: 'test' });
    tenantId = tenant.id;
    tenantSlug = tenant.slug;
  }, 120_000);
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await closeDatabase();
  });

  it('creates the built-in feeds once, disabled, and keeps administrators’ edits', async () => {
    expect(BUILTIN_FEEDS.length).toBeGreaterThanOrEqual(15);
    expect(await ensureBuiltinFeeds()).toBe(BUILTIN_FEEDS.length);
    const feeds = await listFeeds();
    expect(feeds.filter((f) => f.builtin)).toHaveLength(BUILTIN_FEEDS.length);
    expect(feeds.every((f) => !f.enabled)).toBe(true);
    const tor = feeds.find((f) => f.name === 'Tor exit nodes')!;
    await updateFeed(tor.id, { name: tor.name, url: tor.url, format: 'plain', kind: 'ip', intervalMinutes: 30, action: 'log' }, actor);
    expect(await ensureBuiltinFeeds()).toBe(0);
    expect((await listFeeds()).find((f) => f.id === tor.id)).toMatchObject({ intervalMinutes: 30, action: 'log' });
    await expect(deleteFeed(tor.id, actor)).rejects.toThrow(/cannot be deleted/);
    // Nothing enabled → nothing is due.
    expect(await claimDueFeed()).toBeNull();
  });

  it('fetches a plain feed, blocks its addresses, and keeps the last good entries when a fetch fails', async () => {
    routes.set('/plain.txt', text('# test feed\n203.0.113.0/24 ; SBL1\n2001:db8:bad::/48\nnot an ip\n198.51.100.77\n'));
    const feed = await createFeed({ name: 'Local plain', url: `${origin}/plain.txt`, format: 'plain', kind: 'ip', enabled: true, intervalMinutes: 60 }, actor);
    const ran = await runDueFeeds();
    expect(ran).toEqual([{ feed: 'Local plain', result: { outcome: 'ok', entries: 3, badLines: 1, error: undefined } }]);
    expect(threatVerdictFor('203.0.113.9', null)).toBe('block');
    expect(threatVerdictFor('2001:db8:bad::1', tenantSlug)).toBe('block');
    expect(threatVerdictFor('::ffff:198.51.100.77', null)).toBe('block');
    expect(threatVerdictFor('192.0.2.1', null)).toBe('allow');
    let row = (await listFeeds()).find((f) => f.id === feed.id)!;
    expect(row).toMatchObject({ lastStatus: 'ok', entryCount: 3, badLines: 1, badSamples: ['not an ip'], fetchState: 'idle' });
    expect(new Date(row.nextFetchAt!).getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);

    // The publisher breaks: HTTP 500, then an HTML error page served as 200.
    routes.set('/plain.txt', (_req, res) => {
      res.writeHead(500);
      res.end('oops');
    });
    await requestFeedFetch(feed.id, actor);
    expect((await runDueFeeds())[0].result).toMatchObject({ outcome: 'error', error: 'the server answered HTTP 500' });
    routes.set('/plain.txt', text('<html><body>Service unavailable</body></html>'));
    await requestFeedFetch(feed.id, actor);
    expect((await runDueFeeds())[0].result).toMatchObject({ outcome: 'error', error: expect.stringMatching(/no readable entry/) });
    row = (await listFeeds()).find((f) => f.id === feed.id)!;
    expect(row).toMatchObject({ lastStatus: 'error', entryCount: 3 });
    expect(threatVerdictFor('203.0.113.9', null)).toBe('block');
    const history = await feedFetchHistory(feed.id);
    expect(history.map((h) => h.outcome)).toEqual(['ok', 'error', 'error']);
    expect(history[1].httpStatus).toBe(500);
  });

  it('saves and reloads a large feed (100,000 entries) intact', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `100.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
    routes.set('/large.txt', text(lines.join('\n')));
    const feed = await createFeed({ name: 'Large', url: `${origin}/large.txt`, format: 'plain', kind: 'ip', enabled: true }, actor);
    expect((await runDueFeeds())[0].result).toMatchObject({ outcome: 'ok', entries: 100_000 });
    // A cold rebuild decodes the stored value (not the fetcher's parse).
    const { engineState } = await import('./engine');
    engineState().feedCache.clear();
    await rebuildMatcher();
    expect(currentSnapshot().matcher.stats.entries.ipv4).toBeGreaterThanOrEqual(100_000);
    for (const ip of [lines[0], lines[54_321], lines[99_999]]) expect(threatVerdictFor(ip, null), ip).toBe('block');
    expect(threatVerdictFor('100.102.0.0', null)).toBe('allow');
    await setFeedEnabled(feed.id, false, actor);
  });

  it('sends conditional requests and keeps entries on 304', async () => {
    let conditional: string | undefined;
    routes.set('/etag.txt', (req, res) => {
      conditional = req.headers['if-none-match'] as string | undefined;
      if (conditional === '"v1"') {
        res.writeHead(304);
        res.end();
      } else text('192.0.2.200\n', { etag: '"v1"' })(req, res);
    });
    const feed = await createFeed({ name: 'Local etag', url: `${origin}/etag.txt`, format: 'plain', kind: 'ip', enabled: true }, actor);
    expect((await runDueFeeds())[0].result.outcome).toBe('ok');
    await requestFeedFetch(feed.id, actor);
    expect((await runDueFeeds())[0].result.outcome).toBe('not_modified');
    expect(conditional).toBe('"v1"');
    expect(threatVerdictFor('192.0.2.200', null)).toBe('block');
  });

  it('reads every format from the fixture server', async () => {
    routes.set('/feed.csv', text('Start\tEnd\tNetblock\n100.64.1.0\t100.64.1.255\t24\n'));
    routes.set('/feed.json', text(JSON.stringify({ data: [{ ip: '100.64.2.1' }, { ip: '100.64.2.2' }] })));
    routes.set('/feed.ndjson', text('{"cidr":"100.64.3.0/24"}\n{"type":"metadata"}\n'));
    routes.set(
      '/feed.stix',
      text(JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'indicator', id: 'indicator--1', pattern_type: 'stix', pattern: "[ipv4-addr:value = '100.64.4.4'] OR [domain-name:value = 'stix-evil.example']" }] })),
    );
    routes.set('/domains.txt', text('# disposable\nmailinator.example\n0.0.0.0 tracker.example\n'));
    await createFeed({ name: 'CSV', url: `${origin}/feed.csv`, format: 'csv', kind: 'ip', enabled: true, options: { csv: { delimiter: '\t', header: true, column: 'Start', prefixColumn: 'Netblock' } } }, actor);
    await createFeed({ name: 'JSON', url: `${origin}/feed.json`, format: 'json', kind: 'ip', enabled: true, options: { json: { path: '$.data[*].ip' } } }, actor);
    await createFeed({ name: 'NDJSON', url: `${origin}/feed.ndjson`, format: 'json', kind: 'ip', enabled: true, options: { json: { path: '$.cidr' } } }, actor);
    await createFeed({ name: 'STIX', url: `${origin}/feed.stix`, format: 'stix', kind: 'ip', enabled: true }, actor);
    await createFeed({ name: 'Domains', url: `${origin}/domains.txt`, format: 'plain', kind: 'domain', enabled: true }, actor);
    const ran = await runDueFeeds();
    expect(ran.map((r) => [r.feed, r.result.outcome, r.result.entries]).sort()).toEqual(
      [
        ['CSV', 'ok', 1],
        ['Domains', 'ok', 2],
        ['JSON', 'ok', 2],
        ['NDJSON', 'ok', 1],
        ['STIX', 'ok', 2],
      ].sort(),
    );
    for (const ip of ['100.64.1.200', '100.64.2.2', '100.64.3.3', '100.64.4.4']) expect(threatVerdictFor(ip, null), ip).toBe('block');
    expect(checkDomain('www.stix-evil.example', null).verdict).toBe('block');
    expect(checkEmailDomain('someone@MAILINATOR.example', tenantId)).toMatchObject({ verdict: 'block', domain: 'mailinator.example', sources: ['Domains'] });
    expect(checkEmailDomain('someone@sub.tracker.example', null).verdict).toBe('block');
    expect(checkEmailDomain('someone@example.org', null).verdict).toBe('allow');
    expect(checkEmailDomain('not-an-email', null).verdict).toBe('allow');
  });

  it('refuses feeds over the size limit, slow feeds, and self-signed TLS', async () => {
    routes.set('/big.txt', text('192.0.2.1\n'.repeat(20_000)));
    routes.set('/slow.txt', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('192.0.2.1\n'); // then never finishes
    });
    await expect(downloadFeed(`${origin}/big.txt`, { maxBytes: 50_000, allowPrivateNetworks: true })).rejects.toThrow(/larger than/);
    await expect(downloadFeed(`${origin}/slow.txt`, { timeoutMs: 300, allowPrivateNetworks: true })).rejects.toThrow(/timed out/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threat-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => res.end('192.0.2.1\n'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/feed.txt`;
      await expect(downloadFeed(url, { allowPrivateNetworks: true })).rejects.toThrow(/TLS certificate verification failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      const feed = await createFeed({ name: 'Self-signed', url, format: 'plain', kind: 'ip', enabled: false }, actor);
      await requestFeedFetch(feed.id, actor);
      const [run] = await runDueFeeds();
      expect(run.result).toMatchObject({ outcome: 'error', error: expect.stringMatching(/TLS certificate verification failed/) });
      expect(threatVerdictFor('192.0.2.1', null)).toBe('allow');
    } finally {
      tls.closeAllConnections();
      tls.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never fetches from internal addresses unless allowed: literal IPs, names that resolve to them, redirects', async () => {
    let hits = 0;
    routes.set('/internal.txt', (_req, res) => {
      hits += 1;
      res.end('192.0.2.1\n');
    });
    routes.set('/redirect-inside', (_req, res) => {
      res.writeHead(302, { location: `${origin}/internal.txt` });
      res.end();
    });
    const port = new URL(origin).port;
    for (const url of [`http://127.0.0.1:${port}/internal.txt`, `http://localhost:${port}/internal.txt`, `http://[::ffff:127.0.0.1]:${port}/internal.txt`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/feed.txt', 'http://[::1]/feed.txt', 'http://[fd00::1]/feed.txt']) {
      await expect(downloadFeed(url, { timeoutMs: 2000 }), url).rejects.toThrow(/refused: .* is an internal address/);
    }
    expect(hits).toBe(0);
    // Redirects are followed hop by hop, each hop a fresh request through the same checks.
    expect((await downloadFeed(`${origin}/redirect-inside`, { allowPrivateNetworks: true })).status).toBe('ok');
    expect(hits).toBe(1);
    routes.set('/redirect-file', (_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    await expect(downloadFeed(`${origin}/redirect-file`, { allowPrivateNetworks: true })).rejects.toThrow(/refused: a redirect to file: URLs/);
    expect(isPublicAddress('192.0.2.1')).toBe(false); // documentation range: not routable
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('::ffff:10.1.2.3')).toBe(false);
    expect(isPublicAddress('100.64.0.1')).toBe(false); // carrier-grade NAT
  });

  it('schedules: one claim per due feed, leases, and fenced writes', async () => {
    const prisma = await getPrisma();
    routes.set('/sched.txt', text('192.0.2.50\n'));
    const feed = await createFeed({ name: 'Scheduled', url: `${origin}/sched.txt`, format: 'plain', kind: 'ip', enabled: true, intervalMinutes: 5 }, actor);
    // Two instances race for the one due feed: exactly one gets it.
    const claims = await Promise.all([claimDueFeed(), claimDueFeed()]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const claim = claims.find(Boolean)!;
    expect(claim.id).toBe(feed.id);
    // Leased: even when due again, nobody else can claim it.
    await prisma.threatFeed.update({ where: { id: feed.id }, data: { nextFetchAt: new Date(Date.now() - 1000) } });
    expect(await claimDueFeed()).toBeNull();
    await expect(requestFeedFetch(feed.id, actor)).rejects.toThrow(/being fetched/);
    // The lease expires (a crashed instance): another instance takes over; the first one's late
    // result is refused.
    await prisma.threatFeed.update({ where: { id: feed.id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    const takeover = await claimDueFeed();
    expect(takeover?.id).toBe(feed.id);
    expect((await runClaimedFeed(claim)).outcome).toBe('lost_lease');
    expect((await runClaimedFeed(takeover!)).outcome).toBe('ok');
    const row = await prisma.threatFeed.findUniqueOrThrow({ where: { id: feed.id } });
    expect(row.leaseToken).toBeNull();
    expect(row.nextFetchAt!.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(await prisma.threatFeedFetch.count({ where: { feedId: feed.id } })).toBe(1);
    // Disabled feeds are not scheduled, but "fetch now" still runs them once.
    await setFeedEnabled(feed.id, false, actor);
    await prisma.threatFeed.update({ where: { id: feed.id }, data: { nextFetchAt: new Date(Date.now() - 1000) } });
    expect(await claimDueFeed()).toBeNull();
    expect(threatVerdictFor('192.0.2.50', null)).toBe('allow');
    await requestFeedFetch(feed.id, actor);
    expect((await claimDueFeed())?.id).toBe(feed.id);
  });

  it('manual lists: the allow list wins, per tenant and global, with expiry; policies per tenant', async () => {
    await addManualIoc({ list: 'deny', value: '192.0.2.128/25', reason: 'attack seen', tenantId: null }, actor);
    await addManualIoc({ list: 'allow', value: '192.0.2.130', reason: 'our office', tenantId }, actor);
    await addManualIoc({ list: 'allow', value: '203.0.113.5', reason: 'partner', tenantId: null, expiresAt: new Date(Date.now() + 3_600_000) }, actor);
    await expect(addManualIoc({ list: 'deny', value: '192.0.2.128/25', reason: 'again', tenantId: null }, actor)).rejects.toThrow(/already on this deny list/);
    await expect(addManualIoc({ list: 'deny', value: 'not a thing', reason: 'x', tenantId: null }, actor)).rejects.toThrow(/enter an IP address/);
    await expect(addManualIoc({ list: 'deny', value: '192.0.2.1', reason: 'x', tenantId: null, expiresAt: new Date(Date.now() - 1000) }, actor)).rejects.toThrow(/future/);
    expect(threatVerdictFor('192.0.2.130', tenantSlug)).toBe('allow');
    expect(threatVerdictFor('192.0.2.130', null)).toBe('block');
    expect(threatVerdictFor('192.0.2.131', tenantSlug)).toBe('block');
    expect(threatVerdictFor('203.0.113.5', null)).toBe('allow'); // the plain feed lists 203.0.113.0/24
    expect(threatVerdictFor('203.0.113.6', null)).toBe('block');

    await addManualIoc({ list: 'allow', value: 'good.mailinator.example', reason: 'our own mailbox', tenantId }, actor);
    expect(checkEmailDomain('x@good.mailinator.example', tenantId).verdict).toBe('allow');
    expect(checkEmailDomain('x@good.mailinator.example', null).verdict).toBe('block');

    await setPolicy({ tenantId, ipAction: 'challenge', domainAction: 'log' }, actor);
    expect(threatVerdictFor('192.0.2.131', tenantSlug)).toBe('challenge');
    expect(checkEmailDomain('x@mailinator.example', tenantId).verdict).toBe('log');
    await setPolicy({ tenantId, ipAction: null, domainAction: null }, actor);
    expect(threatVerdictFor('192.0.2.131', tenantSlug)).toBe('block');
    await setPolicy({ tenantId: null, ipAction: 'log', domainAction: 'block' }, actor);
    expect(threatVerdictFor('192.0.2.131', tenantSlug)).toBe('log');
    await setPolicy({ tenantId: null, ipAction: 'block', domainAction: 'block' }, actor);
    const events = await (await getPrisma()).auditEvent.findMany({ where: { type: { startsWith: 'threat.' } }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['threat.feed.created', 'threat.denylist.added', 'threat.allowlist.added', 'threat.policy.updated', 'threat.feed.fetch.requested']));
  });

  it('the guard blocks with the right shape per surface, records hits, and leaves health alone', async () => {
    const html = fakeContext('192.0.2.131', { tenantSlug, endpoint: 'interaction' });
    expect(threatGuard(html.ctx)).toBe(true);
    expect(html.res.statusCode).toBe(403);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body()).toMatch(/Access denied/);

    const token = fakeContext('192.0.2.131', { tenantSlug, endpoint: 'token', method: 'POST', path: `/t/${tenantSlug}/token` });
    expect(threatGuard(token.ctx)).toBe(true);
    expect(JSON.parse(token.body())).toEqual({ error: 'access_denied', error_description: expect.any(String) });

    const admin = fakeContext('192.0.2.131', { endpoint: 'admin_api', path: '/api/admin/v1/tenants' });
    expect(threatGuard(admin.ctx)).toBe(true);
    expect(JSON.parse(admin.body())).toMatchObject({ error: { code: 'forbidden' } });

    const scim = fakeContext('192.0.2.131', { tenantSlug, endpoint: 'scim', path: `/t/${tenantSlug}/scim/v2/Users` });
    expect(threatGuard(scim.ctx)).toBe(true);
    expect(scim.headers['content-type']).toMatch(/application\/scim\+json/);
    expect(JSON.parse(scim.body())).toMatchObject({ status: '403' });

    expect(threatGuard(fakeContext('192.0.2.131', { endpoint: 'health', path: '/healthz' }).ctx)).toBe(false);
    expect(threatGuard(fakeContext('192.0.2.130', { tenantSlug }).ctx)).toBe(false); // allow-listed in this tenant
    expect(threatGuard(fakeContext('198.18.0.1').ctx)).toBe(false);

    await flushHits();
    const top = await topBlockedIps('all', 1);
    // Per tenant: three requests under the tenant, one to the admin API (no tenant).
    expect(top).toEqual([expect.objectContaining({ ip: '192.0.2.131', action: 'block', hits: 3, tenantId }), expect.objectContaining({ ip: '192.0.2.131', hits: 1, tenantId: null })]);
    expect(await topBlockedIps([tenantId], 1)).toEqual([expect.objectContaining({ ip: '192.0.2.131', hits: 3 })]);
    const series = await hitsPerSource('24h');
    expect(series.buckets).toHaveLength(24);
    expect(series.series.find((s) => s.label === 'Manual deny list')?.values.at(-1)).toBe(4);
    // One event per address and tenant within a minute, however many hits.
    await flushEvents();
    const prisma = await getPrisma();
    const blocked = await prisma.auditEvent.findMany({ where: { type: 'threat.ip.blocked' } });
    expect(blocked.length).toBe(2);
    expect(blocked[0]).toMatchObject({ ip: '192.0.2.131', outcome: 'denied' });
  });

  it('another instance’s change is picked up by the generation poll', async () => {
    const before = currentSnapshot().generation;
    expect(await rebuildIfStale()).toBe(false);
    const prisma = await getPrisma();
    // What another instance does when it adds an entry: insert + bump in one transaction.
    await prisma.$transaction(async (tx) => {
      await tx.threatManualIoc.create({ data: { list: 'deny', kind: 'ip', value: '198.18.0.1', reason: 'other instance', createdBy: 'other' } });
      await tx.$executeRaw`UPDATE threat_state SET generation = generation + 1 WHERE id = 1`;
    });
    expect(threatVerdictFor('198.18.0.1', null)).toBe('allow');
    expect(await rebuildIfStale()).toBe(true);
    expect(currentSnapshot().generation).toBe(before + 1n);
    expect(threatVerdictFor('198.18.0.1', null)).toBe('block');
    await rebuildMatcher();
  });
});

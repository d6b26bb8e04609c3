import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openMemoryDatabase } from '@/lib/db/testing';
import { getPrisma } from '@/lib/db';
import { flushEvents } from '@/lib/audit';
import { getMetrics } from '@/lib/metrics';
import { deleteTenant } from '@/lib/tenants';
import { URN } from './constants';
import type { ScimContext } from './context';
import { handleScimRequest } from './http';
import { scimTestContext } from './test-support';
import { createScimToken } from './tokens';

/** The dispatcher without a server: routing, authentication, content types, sizes, error shapes, metrics. */
describe('SCIM HTTP dispatcher (on PGlite)', () => {
  let ctx: ScimContext;
  let token: string;
  beforeAll(async () => {
    await openMemoryDatabase();
    ctx = await scimTestContext('http');
    token = (await createScimToken(ctx.tenant, { name: 'http-test' }, { type: 'system', id: 'test' })).token;
  }, 120_000);
  afterAll(closeDatabase);

  async function call(method: string, path: string, init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {}) {
    const headers: Record<string, string> = { ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }), ...init.headers };
    if (init.body !== undefined) headers['content-type'] ??= 'application/scim+json';
    const url = `http://localhost:3000/t/${ctx.tenant.slug}/scim/v2${path}`;
    const segments = new URL(url).pathname.split('/').slice(5).filter(Boolean).map(decodeURIComponent);
    const response = await handleScimRequest(new Request(url, { method, headers, body: init.body }), ctx.tenant.slug, segments);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
  }

  it('answers application/scim+json, with RFC 7644 §3.12 errors', async () => {
    const spc = await call('GET', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(spc.body.changePassword.supported).toBe(false);
    const denied = await call('GET', '/Users', { auth: false });
    expect(denied).toMatchObject({ status: 401, body: { schemas: [URN.error], status: '401' } });
    // RFC 6750 §3.1: a request without credentials gets no error code; a bad token gets invalid_token.
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="scim"');
    const badToken = await call('GET', '/Users', { auth: false, headers: { authorization: 'Bearer scim_not-a-token' } });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('www-authenticate')).toBe('Bearer realm="scim", error="invalid_token"');
    expect((await call('POST', '/Users', { body: '{', headers: {} })).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await call('POST', '/Users', { body: '{}', headers: { 'content-type': 'text/xml' } })).status).toBe(415);
    const big = await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user], userName: 'big', title: 'x'.repeat(1_100_000) }) });
    expect(big.body).toMatchObject({ status: '413' });
    expect(big.headers.get('connection')).toBe('close');
    expect((await call('GET', '/Nope')).status).toBe(404);
    expect((await call('PUT', '/Users')).headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect((await call('GET', '/Me')).status).toBe(501);
    expect((await call('GET', `/Schemas/${encodeURIComponent(URN.enterpriseUser)}`)).body.id).toBe(URN.enterpriseUser);
  });

  it('creates with Location and ETag, answers 304 to a matching If-None-Match, and counts and audits', async () => {
    const created = await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user], userName: 'http-user' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${ctx.baseUrl}/Users/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    const cached = await call('GET', `/Users/${created.body.id}`, { headers: { 'if-none-match': 'W/"1"' } });
    expect(cached).toMatchObject({ status: 304, text: '' });
    expect((await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user], userName: 'http-user' }) })).status).toBe(409);

    const metrics = await getMetrics().registry.metrics();
    expect(metrics).toMatch(new RegExp(`iam_scim_requests_total\\{tenant="${ctx.tenant.slug}",resource="Users",method="POST",status="201"\\} 1`));
    expect(metrics).toMatch(new RegExp(`iam_scim_changes_total\\{tenant="${ctx.tenant.slug}",resource="User",change="created"\\} 1`));
    expect(metrics).toMatch(/iam_scim_auth_failures_total\{reason="missing"\} \d+/);
    await flushEvents();
    const prisma = await getPrisma();
    expect(await prisma.auditEvent.findFirst({ where: { tenantId: ctx.tenant.id, type: 'scim.request.failed', reason: 'uniqueness' } })).toMatchObject({ actorType: 'scim', actorId: 'http-test', outcome: 'failure' });
  });

  it('HEAD is GET without the body (RFC 9110 §9.3.2)', async () => {
    const created = await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user], userName: 'head-user' }) });
    const head = await call('HEAD', `/Users/${created.body.id}`);
    expect(head).toMatchObject({ status: 200, text: '' });
    expect(head.headers.get('etag')).toBe('W/"1"');
    expect(head.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(await call('HEAD', `/Users/${created.body.id}`, { headers: { 'if-none-match': 'W/"1"' } })).toMatchObject({ status: 304, text: '' });
    expect(await call('HEAD', '/Users?filter=userName%20eq%20%22head-user%22')).toMatchObject({ status: 200, text: '' });
    expect(await call('HEAD', '/ServiceProviderConfig')).toMatchObject({ status: 200, text: '' });
    expect(await call('HEAD', '/Nope')).toMatchObject({ status: 404, text: '' });
    expect(await call('HEAD', '/Users', { auth: false })).toMatchObject({ status: 401, text: '' });
    const bulk = await call('HEAD', '/Bulk');
    expect(bulk).toMatchObject({ status: 405, text: '' });
    expect(bulk.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('OPTIONS and a 405 list the same methods, per path (RFC 9110 §9.3.7, §15.5.6)', async () => {
    const user = await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user], userName: 'options-user' }) });
    const cases: [string, string][] = [
      ['/Users', 'GET, HEAD, POST, OPTIONS'],
      ['/Groups', 'GET, HEAD, POST, OPTIONS'],
      [`/Users/${user.body.id}`, 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
      ['/Groups/0b7c5e1e-0000-4000-8000-000000000000', 'GET, HEAD, PUT, PATCH, DELETE, OPTIONS'],
      ['/Users/.search', 'POST, OPTIONS'],
      ['/.search', 'POST, OPTIONS'],
      ['/', 'GET, HEAD, OPTIONS'],
      ['/Bulk', 'POST, OPTIONS'],
      ['/Schemas', 'GET, HEAD, OPTIONS'],
    ];
    for (const [path, allow] of cases) {
      const options = await call('OPTIONS', path);
      expect(options, path).toMatchObject({ status: 204, text: '' });
      expect(options.headers.get('allow'), path).toBe(allow);
      const refused = await call(allow.includes('POST') ? 'PUT' : 'POST', path, { body: '{}' });
      expect(refused.status, path).toBe(405);
      expect(refused.headers.get('allow'), path).toBe(allow);
    }
    expect((await call('DELETE', '/Users')).headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect((await call('POST', `/Users/${user.body.id}`, { body: '{}' })).headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE, OPTIONS');
    expect((await call('OPTIONS', '/Nope')).status).toBe(404);
    expect((await call('OPTIONS', '/Users', { auth: false })).status).toBe(401);
  });

  it("accepts Microsoft Entra ID's documented Create Group request (an attribute-less Microsoft URN in schemas)", async () => {
    // Verbatim from Microsoft's "Develop and plan provisioning for a SCIM endpoint", Create Group.
    const entra = `{
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    "displayName": "displayName",
    "meta": {
        "resourceType": "Group"
    }
}`;
    const created = await call('POST', '/Groups', { body: entra });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schemas: [URN.group], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', meta: { resourceType: 'Group', version: 'W/"1"' } });
    expect(created.body.meta.lastModified).toBe(created.body.meta.created);
    // PUT takes it too; the URI is never echoed back.
    const replaced = await call('PUT', `/Groups/${created.body.id}`, { body: entra.replace('"displayName": "displayName"', '"displayName": "renamed"') });
    expect(replaced).toMatchObject({ status: 200, body: { schemas: [URN.group], displayName: 'renamed' } });
    // Still refused: unknown URIs, and the Microsoft Group URI on a User.
    const unknown = await call('POST', '/Groups', { body: JSON.stringify({ schemas: [URN.group, 'urn:example:unknown:2.0:Group'], displayName: 'x' }) });
    expect(unknown.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const onUser = await call('POST', '/Users', { body: JSON.stringify({ schemas: [URN.user, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'], userName: 'ms-user' }) });
    expect(onUser.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const alone = await call('POST', '/Groups', { body: JSON.stringify({ schemas: ['http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'], displayName: 'x' }) });
    expect(alone.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  it('a list without count is a page of filter.maxResults resources (RFC 7644 §3.4.2.4)', async () => {
    const prisma = await getPrisma();
    const maxResults: number = (await call('GET', '/ServiceProviderConfig')).body.filter.maxResults;
    // More than the old default page (100): a client that created one and lists without count finds it.
    await prisma.user.createMany({ data: Array.from({ length: maxResults + 1 }, (_, i) => ({ tenantId: ctx.tenant.id, username: `page-${String(i).padStart(5, '0')}` })) });
    const list = await call('GET', '/Users?filter=userName%20sw%20%22page-%22&attributes=userName');
    expect(list.body).toMatchObject({ totalResults: maxResults + 1, startIndex: 1, itemsPerPage: maxResults });
    expect(list.body.Resources.at(-1).userName).toBe(`page-${String(maxResults - 1).padStart(5, '0')}`);
  });

  it('a deleted tenant takes its SCIM users, groups, memberships and tokens with it', async () => {
    const other = await scimTestContext('gone');
    const otherToken = (await createScimToken(other.tenant, { name: 't' }, { type: 'system', id: 'test' })).token;
    const post = (path: string, body: unknown) =>
      handleScimRequest(new Request(`http://localhost:3000/t/${other.tenant.slug}/scim/v2${path}`, { method: 'POST', headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) }), other.tenant.slug, [path.slice(1)]).then((r) => r.json());
    const boss = await post('/Users', { schemas: [URN.user], userName: 'boss' });
    const worker = await post('/Users', { schemas: [URN.user, URN.enterpriseUser], userName: 'worker', [URN.enterpriseUser]: { manager: { value: boss.id } } });
    await post('/Groups', { schemas: [URN.group], displayName: 'All', members: [{ value: boss.id }, { value: worker.id }] });
    await deleteTenant(other.tenant.slug, other.tenant.slug, { type: 'system', id: 'test' });
    const prisma = await getPrisma();
    expect(await prisma.user.count({ where: { tenantId: other.tenant.id } })).toBe(0);
    expect(await prisma.group.count({ where: { tenantId: other.tenant.id } })).toBe(0);
    expect(await prisma.scimToken.count({ where: { tenantId: other.tenant.id } })).toBe(0);
  });
});

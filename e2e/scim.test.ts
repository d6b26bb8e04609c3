import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { updateTenant } from '@/lib/tenants';
import { createScimToken, revokeScimToken } from '@/lib/scim';
import { getOperation, runOperation } from '@/lib/admin-api';
import { operatorPrincipal } from '@/lib/authz';
import { compileList, queryFromSearchParams } from '@/lib/scim/services/list';
import { userResourceType } from '@/lib/scim/schema/definitions';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, REDIRECT_URI, type SeededTenant } from './support/seed';
import { HttpBrowser, signInOverHttp } from './support/browserless';
import { bootstrapAdmin, signInToConsole } from './support/console';

const run = requirement('postgres');

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const system = { type: 'system' as const, id: 'scim-e2e' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ScimResponse {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

describe.runIf(run)('SCIM 2.0 over HTTP against the real server and Postgres', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let other: SeededTenant;
  let base: string;
  let token: string;
  let otherToken: string;

  beforeAll(async () => {
    env = await setupServerEnvironment({ RATE_LIMIT_PER_MINUTE: '1000000' });
    seeded = await seedTenant('scim');
    other = await seedTenant('scim-other');
    await updateTenant(seeded.slug, { settings: { scimAcceptsPasswords: true } }, system);
    token = (await createScimToken(seeded.tenant, { name: 'Entra ID' }, system)).token;
    otherToken = (await createScimToken(other.tenant, { name: 'Other tenant' }, system)).token;
    base = `${env.server.origin}/t/${seeded.slug}/scim/v2`;
  });
  afterAll(async () => env?.teardown());

  async function scim(method: string, path: string, options: { body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string>; token?: string | null; base?: string } = {}): Promise<ScimResponse> {
    const headers: Record<string, string> = { accept: 'application/scim+json', ...options.headers };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/scim+json';
    }
    const response = await fetch(`${options.base ?? base}${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await response.text();
    let json: Json = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      /* not JSON: the assertions say so */
    }
    return { status: response.status, headers: response.headers, body: json, text };
  }

  function expectError(r: ScimResponse, status: number, scimType?: string) {
    expect(r.status, r.text).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(r.body.schemas).toEqual([ERROR]);
    expect(r.body.status).toBe(String(status));
    expect(typeof r.body.detail).toBe('string');
    if (scimType) expect(r.body.scimType).toBe(scimType);
    else expect(r.body.scimType).toBeUndefined();
  }

  const patchOps = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
  const newUser = (userName: string, extra: Json = {}) => ({ schemas: [CORE], userName, ...extra });
  const filterQuery = (filter: string, extra = '') => `/Users?filter=${encodeURIComponent(filter)}${extra}`;
  async function createUser(userName: string, extra: Json = {}) {
    const r = await scim('POST', '/Users', { body: newUser(userName, extra) });
    expect(r.status, r.text).toBe(201);
    return r.body;
  }

  describe('discovery', () => {
    it('ServiceProviderConfig states exactly what is supported', async () => {
      const r = await scim('GET', '/ServiceProviderConfig');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(r.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: 1000 },
        changePassword: { supported: true },
        sort: { supported: true },
        etag: { supported: true },
        authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
      });
      const noPasswords = await scim('GET', '/ServiceProviderConfig', { base: `${env.server.origin}/t/${other.slug}/scim/v2`, token: otherToken });
      expect(noPasswords.body.changePassword).toEqual({ supported: false });
      expectError(await scim('GET', '/ServiceProviderConfig?filter=x%20pr'), 403);
    });

    it('Schemas and ResourceTypes, as lists and one by one', async () => {
      const schemas = await scim('GET', '/Schemas');
      expect(schemas.body).toMatchObject({ schemas: [LIST], totalResults: 3 });
      expect(schemas.body.Resources.map((s: Json) => s.id)).toEqual([CORE, GROUP, ENT]);
      const user = await scim('GET', `/Schemas/${CORE}`);
      const userName = user.body.attributes.find((a: Json) => a.name === 'userName');
      expect(userName).toMatchObject({ type: 'string', required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' });
      expect(user.body.attributes.find((a: Json) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
      expect(user.body.attributes.find((a: Json) => a.name === 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
      const types = await scim('GET', '/ResourceTypes');
      expect(types.body.Resources).toEqual([
        expect.objectContaining({ id: 'User', endpoint: '/Users', schema: CORE, schemaExtensions: [{ schema: ENT, required: false }] }),
        expect.objectContaining({ id: 'Group', endpoint: '/Groups', schema: GROUP }),
      ]);
      expect((await scim('GET', '/ResourceTypes/Group')).body).toMatchObject({ id: 'Group', meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` } });
      expectError(await scim('GET', '/Schemas/urn:nope'), 404);
      expectError(await scim('GET', '/ResourceTypes?filter=id%20pr'), 403);
    });
  });

  describe('authentication', () => {
    it('refuses missing, invalid, revoked and other tenants\' tokens with 401', async () => {
      const missing = await scim('GET', '/Users', { token: null });
      expectError(missing, 401);
      // RFC 6750 §3.1: no error code when the request carries no credentials.
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="scim"');
      const bad = await scim('GET', '/Users', { token: 'scim_not-a-real-token' });
      expectError(bad, 401);
      expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="scim", error="invalid_token"');
      expectError(await scim('GET', '/Users', { token: otherToken }), 401);
      const temporary = await createScimToken(seeded.tenant, { name: 'temporary' }, system);
      expect((await scim('GET', '/Users', { token: temporary.token })).status).toBe(200);
      await revokeScimToken(seeded.tenant, temporary.record.id, system);
      expectError(await scim('GET', '/Users', { token: temporary.token }), 401);
      expectError(await scim('GET', '/Users', { base: `${env.server.origin}/t/no-such-tenant/scim/v2` }), 404);
      // An admin API or OIDC credential is not a SCIM token.
      expectError(await scim('GET', '/Users', { token: seeded.web.clientSecret }), 401);
    });

    it('tokens from the admin API operations (what `iam scim-token` runs) work, list without secrets, and revoke', async () => {
      const operator = operatorPrincipal('scim-e2e');
      const call = (id: string, params: Record<string, string>, body?: unknown) => runOperation(getOperation(id), operator, { ip: null, userAgent: 'scim-e2e' }, { params, query: {}, readBody: async () => body });
      const created = (await call('createScimToken', { slug: seeded.slug }, { name: 'Workday', expiresInDays: 7 })) as Json;
      // (scimBaseUrl follows this process's PUBLIC_ORIGIN, not the test server's.)
      expect(created).toMatchObject({ name: 'Workday', status: 'active', scimBaseUrl: expect.stringMatching(new RegExp(`/t/${seeded.slug}/scim/v2$`)), token: expect.stringMatching(/^scim_/) });
      expect((await scim('GET', '/Users?count=1', { token: created.token })).status).toBe(200);
      const listed = (await call('listScimTokens', { slug: seeded.slug })) as { data: Json[] };
      expect(listed.data.find((t) => t.id === created.id)).toMatchObject({ name: 'Workday', lastUsedAt: expect.any(String) });
      expect(JSON.stringify(listed)).not.toContain(created.token);
      expect(await call('revokeScimToken', { slug: seeded.slug, tokenId: created.id })).toMatchObject({ status: 'revoked' });
      expectError(await scim('GET', '/Users', { token: created.token }), 401);
    });

    it('a tenant\'s users are invisible with another tenant\'s token at that tenant', async () => {
      const user = await createUser('isolated');
      const otherBase = `${env.server.origin}/t/${other.slug}/scim/v2`;
      expectError(await scim('GET', `/Users/${user.id}`, { base: otherBase, token: otherToken }), 404);
      expectError(await scim('DELETE', `/Users/${user.id}`, { base: otherBase, token: otherToken }), 404);
      expect((await scim('GET', filterQuery('userName eq "isolated"'), { base: otherBase, token: otherToken })).body.totalResults).toBe(0);
    });
  });

  describe('Users', () => {
    it('POST, GET, PUT, PATCH, DELETE with Location, ETag and meta', async () => {
      const created = await scim('POST', '/Users', { body: newUser('crud.user@example.com', { name: { givenName: 'Crud', familyName: 'User' }, emails: [{ value: 'crud.user@example.com', type: 'work', primary: true }], [ENT]: { department: 'QA' } }) });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.headers.get('location')).toBe(`${base}/Users/${id}`);
      expect(created.headers.get('etag')).toBe('W/"1"');
      expect(created.body).toMatchObject({ schemas: [CORE, ENT], userName: 'crud.user@example.com', active: true, meta: { resourceType: 'User', version: 'W/"1"', location: `${base}/Users/${id}` } });
      expect(created.body.meta.created).toBe(created.body.meta.lastModified);

      const got = await scim('GET', `/Users/${id}`);
      expect(got.body).toEqual(created.body);
      expect(got.headers.get('etag')).toBe('W/"1"');

      const put = await scim('PUT', `/Users/${id}`, { body: newUser('crud.user@example.com', { name: { givenName: 'Crud' }, title: 'Tester' }) });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ title: 'Tester', name: { givenName: 'Crud' } });
      expect(put.body.emails).toBeUndefined();
      expect(put.headers.get('etag')).toBe(put.body.meta.version);
      expect(put.body.meta.version).not.toBe('W/"1"');

      const patched = await scim('PATCH', `/Users/${id}`, { body: patchOps({ op: 'add', path: 'nickName', value: 'Cruddy' }) });
      expect(patched.status).toBe(200);
      expect(patched.body.nickName).toBe('Cruddy');

      const deleted = await scim('DELETE', `/Users/${id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expectError(await scim('GET', `/Users/${id}`), 404);
      expectError(await scim('GET', '/Users/not-a-uuid'), 404);
    });

    it('lists with every filter operator, sorting, paging and attribute selection', async () => {
      await createUser('f-anna', { name: { givenName: 'Anna', familyName: 'Berg' }, title: 'Engineer', emails: [{ value: 'anna@corp.example', type: 'work' }, { value: 'anna@home.example', type: 'home' }], [ENT]: { department: 'R&D', employeeNumber: '100' } });
      await createUser('f-bob', { name: { givenName: 'Bob', familyName: 'Adler' }, title: 'Manager', emails: [{ value: 'bob@corp.example', type: 'work' }], [ENT]: { department: 'Sales', employeeNumber: '200' } });
      await createUser('f-cleo', { name: { givenName: 'Cleo', familyName: 'Castro' }, active: false });
      const names = async (filter: string, extra = '') => {
        const r = await scim('GET', filterQuery(filter, extra));
        expect(r.status, `${filter}: ${r.text}`).toBe(200);
        expect(r.body.schemas).toEqual([LIST]);
        return r.body.Resources.map((u: Json) => u.userName);
      };
      expect(await names('userName eq "F-ANNA"')).toEqual(['f-anna']);
      expect(await names('userName ne "f-anna" and userName sw "f-"')).toEqual(['f-bob', 'f-cleo']);
      expect(await names('name.familyName co "dle"')).toEqual(['f-bob']);
      expect(await names('userName sw "f-c"')).toEqual(['f-cleo']);
      expect(await names('emails.value ew "@home.example"')).toEqual(['f-anna']);
      expect(await names('userName gt "f-anna" and userName lt "f-cleo"')).toEqual(['f-bob']);
      expect(await names('userName ge "f-bob" and userName le "f-cleo"')).toEqual(['f-bob', 'f-cleo']);
      expect(await names('title pr and userName sw "f-"')).toEqual(['f-anna', 'f-bob']);
      expect(await names('not (title pr) and userName sw "f-"')).toEqual(['f-cleo']);
      expect(await names('active eq false and userName sw "f-"')).toEqual(['f-cleo']);
      expect(await names('title eq "Engineer" or title eq "Manager" and userName eq "f-anna"')).toEqual(['f-anna']);
      expect(await names('(title eq "Engineer" or title eq "Manager") and userName sw "f-"')).toEqual(['f-anna', 'f-bob']);
      expect(await names('emails[type eq "work" and value co "@corp"]')).toEqual(['f-anna', 'f-bob']);
      expect(await names('emails[type eq "home" and value co "@corp"]')).toEqual([]);
      expect(await names(`${ENT}:department eq "sales"`)).toEqual(['f-bob']);
      expect(await names('meta.created gt "2000-01-01T00:00:00Z" and userName sw "f-"')).toEqual(['f-anna', 'f-bob', 'f-cleo']);
      expect(await names('userName sw "f-"', '&sortBy=name.familyName&sortOrder=descending')).toEqual(['f-cleo', 'f-anna', 'f-bob']);
      expect(await names(`userName sw "f-"`, `&sortBy=${ENT}:employeeNumber`)).toEqual(['f-anna', 'f-bob', 'f-cleo']);

      const page = await scim('GET', `${filterQuery('userName sw "f-"')}&startIndex=2&count=1`);
      expect(page.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1, Resources: [{ userName: 'f-bob' }] });

      const only = await scim('GET', `${filterQuery('userName eq "f-anna"')}&attributes=userName,name.givenName,${ENT}:department`);
      expect(only.body.Resources[0]).toEqual({ schemas: [CORE, ENT], id: expect.any(String), userName: 'f-anna', name: { givenName: 'Anna' }, [ENT]: { department: 'R&D' } });
      const without = await scim('GET', `${filterQuery('userName eq "f-anna"')}&excludedAttributes=emails,meta,${ENT}`);
      expect(without.body.Resources[0].emails).toBeUndefined();
      expect(without.body.Resources[0].meta).toBeUndefined();
      expect(without.body.Resources[0][ENT]).toBeUndefined();
      expect(without.body.Resources[0].schemas).toEqual([CORE]);
      expect(without.body.Resources[0].id).toBeDefined();

      const searched = await scim('POST', '/Users/.search', { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "f-"', attributes: ['userName'], sortBy: 'userName', sortOrder: 'descending', startIndex: 1, count: 2 } });
      expect(searched.status).toBe(200);
      expect(searched.body).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
      expect(searched.body.Resources.map((u: Json) => u.userName)).toEqual(['f-cleo', 'f-bob']);
    });

    it('PATCH in every form: with and without path, value filters, multi-valued, enterprise URN paths', async () => {
      const u = await createUser('patchy', { emails: [{ value: 'patchy@work.example', type: 'work', primary: true }], phoneNumbers: [{ value: '+1 555 0100', type: 'work' }] });
      const p = async (...ops: unknown[]) => {
        const r = await scim('PATCH', `/Users/${u.id}`, { body: patchOps(...ops) });
        expect(r.status, r.text).toBe(200);
        return r.body;
      };
      expect(await p({ op: 'add', value: { title: 'Dr', 'name.givenName': 'Pat' } })).toMatchObject({ title: 'Dr', name: { givenName: 'Pat' } });
      expect(await p({ op: 'replace', path: 'name', value: { familyName: 'Chy' } })).toMatchObject({ name: { givenName: 'Pat', familyName: 'Chy' } });
      expect((await p({ op: 'add', path: 'emails', value: [{ value: 'patchy@home.example', type: 'home' }] })).emails).toHaveLength(2);
      expect((await p({ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@work.example' })).emails).toContainEqual({ value: 'new@work.example', type: 'work', primary: true });
      expect((await p({ op: 'remove', path: 'emails[type eq "home"]' })).emails).toEqual([{ value: 'new@work.example', type: 'work', primary: true }]);
      expect((await p({ op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' })).phoneNumbers).toHaveLength(2);
      expect(await p({ op: 'replace', path: `${ENT}:employeeNumber`, value: '42' }, { op: 'add', path: ENT, value: { costCenter: 'CC-1' } })).toMatchObject({ [ENT]: { employeeNumber: '42', costCenter: 'CC-1' } });
      const manager = await createUser('the-boss', { displayName: 'The Boss' });
      expect(await p({ op: 'replace', path: `${ENT}:manager`, value: manager.id })).toMatchObject({ [ENT]: { manager: { value: manager.id, displayName: 'The Boss', $ref: `${base}/Users/${manager.id}` } } });
      expect((await p({ op: 'remove', path: `${ENT}:manager` }))[ENT].manager).toBeUndefined();
      expect((await p({ op: 'remove', path: 'title' })).title).toBeUndefined();
      // The sign-in email follows the primary email.
      const found = await scim('GET', filterQuery('emails[primary eq true and value eq "new@work.example"]'));
      expect(found.body.Resources.map((r: Json) => r.id)).toEqual([u.id]);
    });

    it('ETags: If-None-Match gives 304, stale If-Match gives 412 (RFC 7644 §3.14)', async () => {
      const u = await createUser('etagged');
      const first = await scim('GET', `/Users/${u.id}`);
      const etag = first.headers.get('etag')!;
      const notModified = await scim('GET', `/Users/${u.id}`, { headers: { 'if-none-match': etag } });
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect((await scim('GET', `/Users/${u.id}`, { headers: { 'if-none-match': 'W/"999"' } })).status).toBe(200);

      const changed = await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'add', path: 'title', value: 'v2' }), headers: { 'if-match': etag } });
      expect(changed.status).toBe(200);
      const newTag = changed.headers.get('etag')!;
      expect(newTag).not.toBe(etag);
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'add', path: 'title', value: 'v3' }), headers: { 'if-match': etag } }), 412);
      expectError(await scim('PUT', `/Users/${u.id}`, { body: newUser('etagged'), headers: { 'if-match': etag } }), 412);
      expectError(await scim('PUT', `/Users/${u.id}`, { body: newUser('etagged'), headers: { 'if-none-match': '*' } }), 412);
      expectError(await scim('DELETE', `/Users/${u.id}`, { headers: { 'if-match': etag } }), 412);
      expectError(await scim('GET', `/Users/${u.id}`, { headers: { 'if-match': etag } }), 412);
      expect((await scim('GET', `/Users/${u.id}`)).body.title).toBe('v2');
      expect((await scim('DELETE', `/Users/${u.id}`, { headers: { 'if-match': newTag } })).status).toBe(204);
    });
  });

  describe('errors (RFC 7644 §3.12)', () => {
    it('malformed JSON, wrong content type, huge payloads', async () => {
      expectError(await scim('POST', '/Users', { raw: '{"schemas": [', headers: { 'content-type': 'application/scim+json' } }), 400, 'invalidSyntax');
      expectError(await scim('POST', '/Users', { raw: '', headers: { 'content-type': 'application/scim+json' } }), 400, 'invalidSyntax');
      expectError(await scim('POST', '/Users', { raw: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'invalidSyntax');
      // U+0000, which Postgres cannot store: refused at the door, in a body or in a filter.
      expectError(await scim('POST', '/Users', { body: newUser('nul', { title: 'a\u0000b' }) }), 400, 'invalidValue');
      expectError(await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`), 400, 'invalidValue');
      expectError(await scim('POST', '/Users', { raw: 'userName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
      expectError(await scim('POST', '/Users', { raw: JSON.stringify(newUser('ct')), headers: { 'content-type': 'text/plain' } }), 415);
      expect((await scim('POST', '/Users', { raw: JSON.stringify(newUser('plain-json')), headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
      const huge = JSON.stringify(newUser('huge', { title: 'x'.repeat(1_100_000) }));
      const tooLarge = await scim('POST', '/Users', { raw: huge, headers: { 'content-type': 'application/scim+json' } });
      expectError(tooLarge, 413);
      expect(tooLarge.body.detail).toContain('1048576');
      // Chunked (no Content-Length): refused while reading.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 12; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
          controller.close();
        },
      });
      const chunked = await fetch(`${base}/Users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' }, body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(413);
    });

    it('unknown attributes, readOnly and immutable mutations, uniqueness, bad filters', async () => {
      expectError(await scim('POST', '/Users', { body: newUser('unknown-attr', { shoeSize: 44 }) }), 400, 'invalidValue');
      expectError(await scim('POST', '/Users', { body: { userName: 'no-schemas' } }), 400, 'invalidSyntax');
      expectError(await scim('POST', '/Users', { body: newUser(' leading-space', {}) }), 400, 'invalidValue');
      const u = await createUser('mutable');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'id', value: crypto.randomUUID() }) }), 400, 'mutability');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }) }), 400, 'mutability');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'add', path: 'groups', value: [{ value: u.id }] }) }), 400, 'mutability');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'shoeSize', value: 1 }) }), 400, 'invalidPath');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.example' }) }), 400, 'noTarget');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'remove' }) }), 400, 'noTarget');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: { Operations: [] } }), 400, 'invalidSyntax');
      const g = await scim('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'Immutable', members: [{ value: u.id }] } });
      expectError(await scim('PATCH', `/Groups/${g.body.id}`, { body: patchOps({ op: 'replace', path: `members[value eq "${u.id}"].value`, value: crypto.randomUUID() }) }), 400, 'mutability');
      expectError(await scim('POST', '/Users', { body: newUser('MUTABLE') }), 409, 'uniqueness');
      await createUser('taken-name');
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'userName', value: 'Taken-Name' }) }), 409, 'uniqueness');
      expectError(await scim('GET', filterQuery('userName eq')), 400, 'invalidFilter');
      expectError(await scim('GET', filterQuery('userName regex ".*"')), 400, 'invalidFilter');
      expectError(await scim('GET', filterQuery('shoeSize gt 40')), 400, 'invalidFilter');
      expectError(await scim('GET', filterQuery('password eq "x"')), 400, 'invalidFilter');
      expectError(await scim('GET', '/Users?count=lots'), 400, 'invalidValue');
      expectError(await scim('GET', '/Users?sortBy=shoeSize'), 400, 'invalidValue');
    });

    it('unknown endpoints 404, unsupported methods 405, /Me 501', async () => {
      expectError(await scim('GET', '/Widgets'), 404);
      expectError(await scim('GET', '/Users/a/b'), 404);
      const wrong = await scim('DELETE', '/Users');
      expectError(wrong, 405);
      expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
      expectError(await scim('GET', '/Bulk'), 405);
      expectError(await scim('GET', '/Me'), 501);
      expectError(await scim('PATCH', '/Me', { body: patchOps({ op: 'add', path: 'title', value: 'x' }) }), 501);
    });

    it('filters that try SQL injection are literal values (or invalid filters), never SQL', async () => {
      await createUser('victim', { displayName: "O'Brien" });
      const prisma = new pg.Client({ connectionString: env.databaseUrl });
      await prisma.connect();
      const countUsers = async () => Number((await prisma.query('SELECT count(*) FROM users')).rows[0].count);
      const before = await countUsers();
      const attempts = [
        `userName eq "victim' OR '1'='1"`,
        `userName eq "x\\" OR 1=1 --"`,
        `userName eq "'; DROP TABLE users; --"`,
        `displayName co "%' OR 1=1; --"`,
        `userName sw "\\u0027 UNION SELECT password_hash FROM users --"`,
        `emails[value eq "') OR TRUE OR ('"]`,
        `userName eq "victim" or 1=1`,
        `userName eq victim; DELETE FROM users`,
        `userName eq "victim") OR (1=1`,
        `userName pr) OR (1=1`,
        `${'userName eq "a" or '.repeat(3)}userName eq "b"'); DROP TABLE users; --`,
      ];
      for (const filter of attempts) {
        const r = await scim('GET', filterQuery(filter));
        expect([200, 400], `${filter}: ${r.text}`).toContain(r.status);
        if (r.status === 200) expect(r.body.totalResults, filter).toBe(0);
        else expect(r.body.scimType).toBe('invalidFilter');
      }
      expect((await scim('GET', filterQuery(`displayName eq "O'Brien"`))).body.totalResults).toBe(1);
      expect(await countUsers()).toBe(before);
      await prisma.end();
    });
  });

  describe('Groups, root queries and Bulk', () => {
    it('Groups: CRUD, members and the users\' groups attribute', async () => {
      const a = await createUser('grp-a');
      const b = await createUser('grp-b');
      const created = await scim('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'Engineering', externalId: 'eng', members: [{ value: a.id, type: 'User' }] } });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`${base}/Groups/${created.body.id}`);
      const gid = created.body.id;
      expect(created.body.members).toEqual([{ value: a.id, type: 'User', display: 'grp-a', $ref: `${base}/Users/${a.id}` }]);
      const added = await scim('PATCH', `/Groups/${gid}`, { body: patchOps({ op: 'add', path: 'members', value: [{ value: b.id }] }) });
      expect(added.body.members.map((m: Json) => m.value).sort()).toEqual([a.id, b.id].sort());
      expect((await scim('GET', `/Users/${b.id}`)).body.groups).toEqual([{ value: gid, $ref: `${base}/Groups/${gid}`, display: 'Engineering', type: 'direct' }]);
      const lean = await scim('GET', `/Groups/${gid}?excludedAttributes=members`);
      expect(lean.body.members).toBeUndefined();
      const byMember = await scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${b.id}"]`)}&excludedAttributes=members`);
      expect(byMember.body.Resources.map((g: Json) => g.displayName)).toEqual(['Engineering']);
      expectError(await scim('PATCH', `/Groups/${gid}`, { body: patchOps({ op: 'add', path: 'members', value: [{ value: crypto.randomUUID() }] }) }), 400, 'invalidValue');
      const put = await scim('PUT', `/Groups/${gid}`, { body: { schemas: [GROUP], displayName: 'Engineering 2', members: [{ value: b.id }] } });
      expect(put.body).toMatchObject({ displayName: 'Engineering 2', members: [{ value: b.id }] });
      expect(put.body.externalId).toBeUndefined();
      expect((await scim('DELETE', `/Groups/${gid}`)).status).toBe(204);
      expect((await scim('GET', `/Users/${b.id}`)).body.groups).toBeUndefined();
    });

    it('queries the service root, by GET and POST /.search', async () => {
      await createUser('root-user', { displayName: 'Rooted' });
      await scim('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'Rooted group' } });
      const r = await scim('GET', `/?filter=${encodeURIComponent('displayName sw "Rooted"')}&sortBy=displayName`);
      expect(r.status, r.text).toBe(200);
      expect(r.body.Resources.map((x: Json) => [x.meta.resourceType, x.displayName])).toEqual([
        ['User', 'Rooted'],
        ['Group', 'Rooted group'],
      ]);
      const s = await scim('POST', '/.search', { body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName eq "root-user"' } });
      expect(s.body.totalResults).toBe(1);
    });

    it('Bulk: bulkId references, failOnErrors, limits', async () => {
      const r = await scim('POST', '/Bulk', {
        body: {
          schemas: [BULK],
          failOnErrors: 1,
          Operations: [
            { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [CORE], userName: 'bulk.alice' } },
            { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Bulk Group', members: [{ type: 'User', value: 'bulkId:qwerty' }] } },
            { method: 'PATCH', path: '/Users/bulkId:qwerty', data: patchOps({ op: 'add', path: 'title', value: 'bulk' }) },
          ],
        },
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
      expect(r.body.Operations.map((o: Json) => o.status)).toEqual(['201', '201', '200']);
      const group = await scim('GET', new URL(r.body.Operations[1].location).pathname.replace(/^.*\/scim\/v2/, ''));
      expect(group.body.members[0].value).toBe(new URL(r.body.Operations[0].location).pathname.split('/').pop());

      const failing = await scim('POST', '/Bulk', { body: { schemas: [BULK], failOnErrors: 1, Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [CORE], userName: 'bulk.alice' } }, { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [CORE], userName: 'bulk.never' } }] } });
      expect(failing.body.Operations).toEqual([{ method: 'POST', bulkId: 'a', status: '409', response: expect.objectContaining({ scimType: 'uniqueness' }) }]);
      expect((await scim('GET', filterQuery('userName eq "bulk.never"'))).body.totalResults).toBe(0);

      const many = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/${crypto.randomUUID()}`, bulkId: `d${i}` }));
      expectError(await scim('POST', '/Bulk', { body: { schemas: [BULK], Operations: many } }), 413);
      const big = Array.from({ length: 20 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `big${i}`, data: { schemas: [CORE], userName: `big${i}`, title: 'y'.repeat(60_000) } }));
      expectError(await scim('POST', '/Bulk', { body: { schemas: [BULK], Operations: big } }), 413);
    });
  });

  describe('RFC 7643/7644 details a compliance suite checks', () => {
    const dbQuery = async <T extends Json>(sql: string, params: unknown[]) => {
      const client = new pg.Client({ connectionString: env.databaseUrl });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    };

    it('userName comes back as sent and is matched without case (RFC 7643 §4.1.1)', async () => {
      const guest = 'Jane_Contoso.com#EXT#@tenant.onmicrosoft.com';
      const created = await createUser(guest);
      expect(created.userName).toBe(guest);
      expect((await scim('GET', `/Users/${created.id}`)).body.userName).toBe(guest);
      expect((await scim('GET', filterQuery(`userName eq "${guest.toUpperCase()}"`))).body.Resources.map((u: Json) => u.id)).toEqual([created.id]);
      const zoe = await createUser("Zoë O'Brien");
      expect(zoe.userName).toBe("Zoë O'Brien");
      // Folded in the application, so the database's locale does not matter (SQL lower() leaves Ë alone under C).
      expect((await scim('GET', filterQuery(`userName eq "ZOË O'BRIEN"`))).body.Resources.map((u: Json) => u.id)).toEqual([zoe.id]);
      expectError(await scim('POST', '/Users', { body: newUser("zoë o'brien") }), 409, 'uniqueness');
      // The new column is on Postgres too (the migration ran at the server's start).
      expect(await dbQuery('SELECT username, scim_user_name FROM users WHERE id = $1', [zoe.id])).toEqual([{ username: "zoë o'brien", scim_user_name: "Zoë O'Brien" }]);
    });

    it('password is ignored, never stored, where the tenant does not take SCIM passwords', async () => {
      const otherBase = `${env.server.origin}/t/${other.slug}/scim/v2`;
      const r = await scim('POST', '/Users', { base: otherBase, token: otherToken, body: newUser('fills-everything', { password: 'Compliance suite passphrase 1', title: 'All attributes' }) });
      expect(r.status, r.text).toBe(201);
      expect(r.body.password).toBeUndefined();
      expect(await dbQuery('SELECT password_hash FROM users WHERE id = $1', [r.body.id])).toEqual([{ password_hash: null }]);
      const [event] = await dbQuery<{ details: Json }>(`SELECT details FROM audit_events WHERE subject = $1 AND type = 'user.created'`, [r.body.id]);
      expect(event.details.ignored).toEqual(['password']);
      expect(JSON.stringify(event)).not.toContain('Compliance suite passphrase');
      const patched = await scim('PATCH', `/Users/${r.body.id}`, { base: otherBase, token: otherToken, body: patchOps({ op: 'replace', path: 'password', value: 'Another passphrase 22' }) });
      expect(patched.status, patched.text).toBe(200);
      expect(await dbQuery('SELECT password_hash FROM users WHERE id = $1', [r.body.id])).toEqual([{ password_hash: null }]);
    });

    it('emails have no uniqueness (RFC 7643 §4.1.2): a second user with the same primary email is created', async () => {
      const first = await createUser('has-email', { emails: [{ value: 'shared@example.com' }] });
      const second = await scim('POST', '/Users', { body: newUser('wants-email', { emails: [{ value: 'SHARED@example.com', primary: true }] }) });
      expect(second.status, second.text).toBe(201);
      expect(second.body.emails).toEqual([{ value: 'SHARED@example.com', primary: true }]);
      // Only the first signs in with it.
      expect(await dbQuery('SELECT id, email FROM users WHERE id = ANY($1::uuid[]) ORDER BY username', [[first.id, second.body.id]])).toEqual([
        { id: first.id, email: 'shared@example.com' },
        { id: second.body.id, email: null },
      ]);
      const both = await scim('GET', filterQuery('emails.value eq "shared@example.com"'));
      expect(both.body.Resources.map((u: Json) => u.userName).sort()).toEqual(['has-email', 'wants-email']);
    });

    it('PATCH: replace of emails.value on a user without emails adds it; remove of active is refused', async () => {
      const u = await createUser('no-emails-yet');
      const replaced = await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'emails.value', value: 'first@example.com' }) });
      expect(replaced.status, replaced.text).toBe(200);
      expect(replaced.body.emails).toEqual([{ value: 'first@example.com' }]);
      expectError(await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'replace', path: 'phoneNumbers[type eq "fax"].value', value: '+1' }) }), 400, 'noTarget');
      const removeActive = await scim('PATCH', `/Users/${u.id}`, { body: patchOps({ op: 'remove', path: 'active' }) });
      expectError(removeActive, 400, 'invalidValue');
      expect((await scim('GET', `/Users/${u.id}`)).body.active).toBe(true);
    });

    it('HEAD is answered like GET, without a body (RFC 9110 §9.3.2)', async () => {
      const u = await createUser('head-over-http');
      const head = await fetch(`${base}/Users/${u.id}`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe('W/"1"');
      expect(head.headers.get('content-type')).toMatch(/^application\/scim\+json/);
      expect(await head.text()).toBe('');
      expect((await fetch(`${base}/Users?count=1`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${base}/Users`, { method: 'HEAD' })).status).toBe(401);
    });

    it('Bulk: every result but a failed POST has a location', async () => {
      const missing = crypto.randomUUID();
      const r = await scim('POST', '/Bulk', {
        body: {
          schemas: [BULK],
          Operations: [
            { method: 'POST', path: '/Users', bulkId: 'loc', data: newUser('bulk.location') },
            { method: 'PATCH', path: '/Users/bulkId:loc', data: patchOps({ op: 'replace', path: 'id', value: missing }) },
            { method: 'DELETE', path: '/Users/bulkId:loc' },
            { method: 'DELETE', path: `/Users/${missing}` },
          ],
        },
      });
      expect(r.status, r.text).toBe(200);
      const location = r.body.Operations[0].location;
      expect(location).toMatch(new RegExp(`^${base}/Users/[0-9a-f-]{36}$`));
      expect(r.body.Operations.map((o: Json) => [o.status, o.location])).toEqual([
        ['201', location],
        ['400', location],
        ['204', location],
        ['404', `${base}/Users/${missing}`],
      ]);
    });

    it('a list without count is a page of filter.maxResults (a client finds what it just created)', async () => {
      const paged = await seedTenant('scim-page');
      const pagedToken = (await createScimToken(paged.tenant, { name: 'paging' }, system)).token;
      const pagedBase = `${env.server.origin}/t/${paged.slug}/scim/v2`;
      const maxResults = (await scim('GET', '/ServiceProviderConfig', { base: pagedBase, token: pagedToken })).body.filter.maxResults;
      await dbQuery(`INSERT INTO users (id, tenant_id, username, updated_at) SELECT gen_random_uuid(), $1::uuid, 'page-' || lpad(i::text, 5, '0'), now() FROM generate_series(1, $2::int) AS i`, [paged.tenant.id, maxResults]);
      const list = await scim('GET', '/Users?attributes=userName', { base: pagedBase, token: pagedToken });
      // The seeded user "alice" plus maxResults more: one page of maxResults.
      expect(list.body).toMatchObject({ totalResults: maxResults + 1, itemsPerPage: maxResults });
    });
  });

  describe('provisioning scenarios', () => {
    async function discover() {
      return oidc.discovery(new URL(`${env.server.origin}/t/${seeded.slug}`), seeded.web.clientId, seeded.web.clientSecret, oidc.ClientSecretBasic(seeded.web.clientSecret), { execute: [oidc.allowInsecureRequests] });
    }
    async function signIn(username: string, password: string) {
      const config = await discover();
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile email offline_access', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's', prompt: 'consent' });
      const callback = await signInOverHttp(new HttpBrowser(), url.href, { username, password, redirectUri: REDIRECT_URI });
      return { config, tokens: await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's' }) };
    }

    it('Entra ID: create, PATCH active "False", add to group, remove, delete; deactivation revokes tokens and blocks sign-in', async () => {
      const upn = 'Adele.Vance@contoso.example';
      // Entra first looks the user up by its matching attribute.
      const lookup = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${upn}"`)}`);
      expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
      const password = 'Entra-provisioned passphrase 1';
      const created = await scim('POST', '/Users', {
        body: {
          schemas: [CORE, ENT],
          externalId: '6a1b2c3d-entra-object-id',
          userName: upn,
          active: true,
          displayName: 'Adele Vance',
          emails: [{ primary: true, type: 'work', value: upn }],
          meta: { resourceType: 'User' },
          name: { formatted: 'Adele Vance', familyName: 'Vance', givenName: 'Adele' },
          title: 'Retail Manager',
          preferredLanguage: 'en-US',
          phoneNumbers: [{ type: 'work', value: '+1 425 555 0109' }],
          addresses: [{ type: 'work', streetAddress: '18 Main St', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US', primary: false }],
          [ENT]: { employeeNumber: 'E-1001', department: 'Retail' },
          password,
        },
      });
      expect(created.status, created.text).toBe(201);
      const id = created.body.id;
      expect(created.body.password).toBeUndefined();

      // The provisioned user signs in through OIDC and gets a refresh token.
      const { config, tokens } = await signIn(upn.toLowerCase(), password);
      expect(tokens.claims()!.sub).toBe(id);
      expect(tokens.refresh_token).toBeTruthy();

      // Entra sends attribute updates as path-less or filtered replaces.
      const updated = await scim('PATCH', `/Users/${id}`, { body: patchOps({ op: 'Replace', path: 'title', value: 'Store Manager' }, { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0110' }, { op: 'Replace', path: `${ENT}:department`, value: 'Retail Ops' }) });
      expect(updated.status, updated.text).toBe(200);

      const group = await scim('POST', '/Groups', { body: { schemas: [GROUP], externalId: 'entra-group-1', displayName: 'Retail', members: [] } });
      const gid = group.body.id;
      const add = await scim('PATCH', `/Groups/${gid}`, { body: patchOps({ op: 'Add', path: 'members', value: [{ value: id }] }) });
      expect(add.status, add.text).toBe(200);
      expect((await scim('GET', `/Users/${id}`)).body.groups).toEqual([expect.objectContaining({ value: gid, display: 'Retail' })]);

      const deactivated = await scim('PATCH', `/Users/${id}`, { body: patchOps({ op: 'Replace', path: 'active', value: 'False' }) });
      expect(deactivated.status, deactivated.text).toBe(200);
      expect(deactivated.body.active).toBe(false);
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
      await expect(signIn(upn.toLowerCase(), password)).rejects.toThrow();

      // Reactivation restores sign-in, not the old tokens.
      const reactivated = await scim('PATCH', `/Users/${id}`, { body: patchOps({ op: 'Replace', path: 'active', value: 'True' }) });
      expect(reactivated.body.active).toBe(true);
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      const again = await signIn(upn.toLowerCase(), password);
      expect(again.tokens.refresh_token).toBeTruthy();

      const remove = await scim('PATCH', `/Groups/${gid}`, { body: patchOps({ op: 'Remove', path: 'members', value: [{ value: id }] }) });
      expect(remove.status).toBe(200);
      expect(remove.body.members).toBeUndefined();

      expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
      expectError(await scim('GET', `/Users/${id}`), 404);
      await expect(oidc.refreshTokenGrant(config, again.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      await expect(signIn(upn.toLowerCase(), password)).rejects.toThrow();
    });

    it('Entra ID guest: a #EXT# userName is kept as sent and signs in, in any case', async () => {
      const upn = 'Megan.Bowen_Fabrikam.example#EXT#@contoso.onmicrosoft.com';
      const password = 'Guest passphrase 12345';
      const created = await scim('POST', '/Users', { body: { schemas: [CORE], userName: upn, externalId: 'guest-object-id', active: true, password } });
      expect(created.status, created.text).toBe(201);
      expect(created.body.userName).toBe(upn);
      const { tokens } = await signIn(upn.toUpperCase(), password);
      expect(tokens.claims()!.sub).toBe(created.body.id);
    });

    it('Okta: PUT-based updates, deactivation by PUT, group push with PATCH', async () => {
      const okta = (await createScimToken(seeded.tenant, { name: 'Okta' }, system)).token;
      const o = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => scim(method, path, { body, token: okta, headers: { 'user-agent': 'Okta SCIM Client 1.0.0', ...headers } });
      const lookup = await o('GET', `/Users?filter=${encodeURIComponent('userName eq "dave@okta.example"')}&startIndex=1&count=100`);
      expect(lookup.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0 });
      const user = { schemas: [CORE], userName: 'dave@okta.example', name: { givenName: 'Dave', familyName: 'Okta' }, emails: [{ primary: true, value: 'dave@okta.example', type: 'work' }], displayName: 'Dave Okta', locale: 'en-US', externalId: '00u1abcd', groups: [], password: 'Okta-sync passphrase 1', active: true };
      const created = await o('POST', '/Users', user);
      expect(created.status, created.text).toBe(201);
      const id = created.body.id;
      const { tokens, config } = await signIn('dave@okta.example', 'Okta-sync passphrase 1');

      const renamed = await o('PUT', `/Users/${id}`, { ...user, id, password: undefined, name: { givenName: 'David', familyName: 'Okta' }, displayName: 'David Okta' });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body).toMatchObject({ name: { givenName: 'David', familyName: 'Okta' }, displayName: 'David Okta', active: true, externalId: '00u1abcd' });

      const deactivated = await o('PUT', `/Users/${id}`, { ...user, id, password: undefined, active: false });
      expect(deactivated.body.active).toBe(false);
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      const reactivated = await o('PUT', `/Users/${id}`, { ...user, id, password: undefined, active: true });
      expect(reactivated.body.active).toBe(true);
      await expect(signIn('dave@okta.example', 'Okta-sync passphrase 1')).resolves.toBeTruthy();

      const group = await o('POST', '/Groups', { schemas: [GROUP], displayName: 'Okta Push', members: [] });
      const gid = group.body.id;
      const addMember = await o('PATCH', `/Groups/${gid}`, patchOps({ op: 'add', path: 'members', value: [{ value: id, display: 'dave@okta.example' }] }));
      expect(addMember.status, addMember.text).toBe(200);
      const rename = await o('PATCH', `/Groups/${gid}`, patchOps({ op: 'replace', value: { id: gid, displayName: 'Okta Push Renamed' } }));
      expect(rename.status, rename.text).toBe(200);
      expect(rename.body.displayName).toBe('Okta Push Renamed');
      const removeMember = await o('PATCH', `/Groups/${gid}`, patchOps({ op: 'remove', path: `members[value eq "${id}"]` }));
      expect(removeMember.body.members).toBeUndefined();
      const deactivate = await o('PATCH', `/Users/${id}`, patchOps({ op: 'replace', value: { active: false } }));
      expect(deactivate.body.active).toBe(false);
    });
  });

  describe('console', () => {
    it("shows the tenant's SCIM base URL, its tokens, and the groups and users SCIM created", async () => {
      await createUser('console-visible', { externalId: 'hr-4711' });
      await scim('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'Console Group' } });
      const { browser, status } = await signInToConsole(env.server.origin, bootstrapAdmin(env.server.output()));
      expect(status).toBe(200);
      const page = await browser.request(`${env.server.origin}/console/tenants/${seeded.slug}/scim`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(base);
      expect(html).toContain('Entra ID');
      expect(html).toContain('scim-token-Entra ID');
      expect(html).not.toContain(token);
      expect(html).toContain('Console Group');
      expect(html).toContain('console-visible');
      expect(html).toContain('hr-4711');
      const layout = await browser.request(`${env.server.origin}/console/tenants/${seeded.slug}`);
      expect(await layout.text()).toContain(`/console/tenants/${seeded.slug}/scim`);
    });
  });

  describe('scale', () => {
    it('filters 100,000 users in SQL, with bind parameters, well under a second', async () => {
      const big = await seedTenant('scim-scale');
      const bigToken = (await createScimToken(big.tenant, { name: 'scale' }, system)).token;
      const bigBase = `${env.server.origin}/t/${big.slug}/scim/v2`;
      const client = new pg.Client({ connectionString: env.databaseUrl });
      await client.connect();
      const seedStarted = performance.now();
      await client.query(
        `INSERT INTO users (id, tenant_id, username, email, name, given_name, family_name, title, external_id, emails, employee_number, department, disabled, scim_provisioned, updated_at)
         SELECT gen_random_uuid(), $1::uuid, 'user-' || lpad(i::text, 6, '0'), 'user-' || lpad(i::text, 6, '0') || '@example.com', 'User ' || i, 'Given' || i, 'Family' || (i % 1000),
                'Engineer ' || (i % 50), 'ext-' || i,
                jsonb_build_array(jsonb_build_object('value', 'user-' || lpad(i::text, 6, '0') || '@example.com', 'type', 'work', 'primary', true), jsonb_build_object('value', 'u' || i || '@home.example', 'type', 'home')),
                'E' || i, 'Dept ' || (i % 20), i % 10 = 0, true, now()
         FROM generate_series(1, 100000) AS i`,
        [big.tenant.id],
      );
      await client.query('ANALYZE users');
      const seedMs = performance.now() - seedStarted;

      const filters = [
        'userName eq "user-050000"',
        'externalId eq "ext-77777"',
        'userName sw "user-0999"',
        'emails[type eq "work" and value eq "user-012345@example.com"]',
        'title eq "Engineer 7" and active eq true',
        'name.familyName co "99" and not (active eq false)',
        `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Dept 3" and userName sw "user-05"`,
      ];
      const figures: { filter: string; totalResults: number; ms: number }[] = [];
      for (const filter of filters) {
        const url = `/Users?filter=${encodeURIComponent(filter)}&count=100&excludedAttributes=groups`;
        const times: number[] = [];
        let totalResults = -1;
        for (let i = 0; i < 3; i++) {
          const started = performance.now();
          const r = await scim('GET', url, { base: bigBase, token: bigToken });
          times.push(performance.now() - started);
          expect(r.status, r.text).toBe(200);
          totalResults = r.body.totalResults;
        }
        figures.push({ filter, totalResults, ms: Math.round([...times].sort((a, b) => a - b)[1]) });
      }
      expect(figures.map((f) => f.totalResults)).toEqual([1, 1, 100, 1, 2000, 1800, 500]);

      // The SQL that ran: values are bind parameters; EXPLAIN shows the plan for the indexed lookup.
      const ctx = { tenant: big.tenant as never, token: { id: 'x', name: 'x' }, meta: { ip: null, userAgent: null }, baseUrl: bigBase };
      const compiled = compileList(ctx, userResourceType, queryFromSearchParams(new URLSearchParams({ filter: 'userName eq "user-050000"', count: '100' })));
      expect(compiled.rows.sql).not.toContain('user-050000');
      expect(compiled.rows.params).toContain('user-050000');
      const plan = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${compiled.rows.sql}`, compiled.rows.params)).rows[0]['QUERY PLAN'][0];
      const planText = JSON.stringify(plan.Plan);
      expect(planText).toMatch(/users_tenant_id_username_key|Index/);
      await client.end();

      console.log(`\n  SCIM scale: 100,000 users seeded in ${Math.round(seedMs)} ms; filtered list requests over HTTP (median of 3, count=100):`);
      for (const f of figures) console.log(`    ${String(f.ms).padStart(5)} ms  ${String(f.totalResults).padStart(6)} results  ${f.filter}`);
      console.log(`  userName eq: planner ${plan['Planning Time']} ms, executor ${plan['Execution Time']} ms, plan ${plan.Plan['Node Type']}\n`);
      for (const f of figures) expect(f.ms).toBeLessThan(5000);
    }, 300_000);
  });
});

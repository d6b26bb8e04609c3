/**
 * The admin API over HTTP against the real server: machine clients of the admin tenant get
 * client-credentials tokens and act with the rights of their role bindings; read-only tokens,
 * other tenants' tokens, forged, expired and missing tokens are refused with RFC 6750 challenges;
 * bad input is a 400 naming the fields, never a 500; the OpenAPI document is valid OpenAPI 3.1
 * and lists every route.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import * as jose from 'jose';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@/lib/clients';
import { getPrisma } from '@/lib/db';
import { loadSigningKeyset } from '@/lib/keys';
import { getTenantOrThrow } from '@/lib/tenants';
import { auditEventSchema, clientSchema, clientWithSecretSchema, keyRotationSchema, operations, roleBindingSchema, signingKeySchema, tenantSchema, userSchema, type AdminRouteHandler } from '@/lib/admin-api';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, type SeededTenant } from './support/seed';
import { tokenRequest } from './support/token-client';

const run = requirement('postgres');
const system = { type: 'system' as const, id: 'admin-api-test' };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const page = <S extends z.ZodRawShape>(item: z.ZodObject<S>) => z.strictObject({ data: z.array(z.strictObject(item.shape)), nextCursor: z.string().nullable(), total: z.number().optional() });
const errorBody = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string().min(1), fields: z.record(z.string(), z.string()).optional() }) });

describe.runIf(run)('admin API (/api/admin/v1) with client-credentials tokens of the admin tenant', () => {
  let env: TestEnvironment;
  let dataDir: string;
  let adminIssuer: string;
  let apiBase: string;
  let adminTenantId: string;
  let seeded: SeededTenant;
  type Machine = { clientId: string; clientSecret: string };
  let adminClient: Machine;
  let auditorClient: Machine;
  let ownerClient: Machine;
  let unboundClient: Machine;

  async function call(method: string, pathname: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${apiBase}${pathname}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // No request in this file may crash the server.
    expect(response.status, `${method} ${pathname} answered ${response.status}: ${text.slice(0, 300)}\n${response.status >= 500 ? env.server.output().slice(-1500) : ''}`).toBeLessThan(500);
    return { status: response.status, headers: response.headers, text, json };
  }

  function expectError(reply: Reply, status: number, code: string) {
    expect(reply.status, reply.text.slice(0, 400)).toBe(status);
    expect(errorBody.parse(reply.json).error.code).toBe(code);
  }

  async function token(client: Machine, scope = 'api:read api:write') {
    const { status, body } = await tokenRequest(`${adminIssuer}/token`, client, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
    expect(status, JSON.stringify(body)).toBe(200);
    return body.access_token;
  }

  async function machine(name: string, role?: 'owner' | 'admin' | 'auditor' | 'helpdesk', scopeTenantId: string | null = null): Promise<Machine> {
    const created = await createClient(adminTenantId, { name, kind: 'machine' }, system);
    if (role) await (await getPrisma()).adminRoleBinding.create({ data: { clientId: created.clientId, role, scopeTenantId } });
    return { clientId: created.clientId, clientSecret: created.clientSecret! };
  }

  /** Events are buffered for ~200 ms by the server (denials) or written in the change's transaction. */
  async function auditEvents(where: { type: string; actorId?: string; tenantId?: string }, atLeast = 1) {
    const prisma = await getPrisma();
    const deadline = Date.now() + 5_000;
    for (;;) {
      const rows = await prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' } });
      if (rows.length >= atLeast || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-admin-api-'));
    env = await setupServerEnvironment({ DATA_DIR: dataDir });
    adminIssuer = `${env.server.origin}/t/admin`;
    apiBase = `${env.server.origin}/api/admin/v1`;
    adminTenantId = (await getTenantOrThrow('admin')).id;
    seeded = await seedTenant('api');
    [adminClient, auditorClient, ownerClient, unboundClient] = await Promise.all([machine('API admin', 'admin'), machine('API auditor', 'auditor'), machine('API owner', 'owner'), machine('API nobody')]);
  });
  afterAll(async () => {
    await env?.teardown();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an admin-bound machine client creates a tenant, a client, a user and rotates keys', async () => {
    const access = await token(adminClient);
    const claims = jose.decodeJwt(access);
    expect(jose.decodeProtectedHeader(access)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(claims).toMatchObject({ iss: adminIssuer, aud: `${adminIssuer}/api`, client_id: adminClient.clientId });

    const slug = `api-${crypto.randomBytes(3).toString('hex')}`;
    const created = await call('POST', '/tenants', { token: access, body: { slug, displayName: 'Made by the API' } });
    expect(created.status, created.text).toBe(201);
    expect(tenantSchema.strict().parse(created.json)).toMatchObject({ slug, displayName: 'Made by the API', disabled: false, isAdmin: false, issuer: `${env.server.origin}/t/${slug}` });
    // The new issuer is live.
    const discovery = await fetch(`${env.server.origin}/t/${slug}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);

    const listed = await call('GET', '/tenants?limit=200', { token: access });
    expect(page(tenantSchema).parse(listed.json).data.map((t) => t.slug)).toContain(slug);
    expect(tenantSchema.strict().parse((await call('GET', `/tenants/${slug}`, { token: access })).json).slug).toBe(slug);
    const renamed = await call('PATCH', `/tenants/${slug}`, { token: access, body: { displayName: 'Renamed', settings: { accessTokenTtlSeconds: 600 } } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ displayName: 'Renamed', settings: { accessTokenTtlSeconds: 600 } });

    // Client: the secret appears once, at creation (and rotation), never on reads.
    const client = await call('POST', `/tenants/${slug}/clients`, { token: access, body: { name: 'Web app', kind: 'web', redirectUris: ['https://app.example.com/callback'] } });
    expect(client.status, client.text).toBe(201);
    const createdClient = clientWithSecretSchema.strict().parse(client.json);
    expect(createdClient.clientSecret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const read = await call('GET', `/tenants/${slug}/clients/${createdClient.clientId}`, { token: access });
    expect(clientSchema.strict().parse(read.json).hasSecret).toBe(true);
    expect(read.text).not.toContain(createdClient.clientSecret!);
    const clients = page(clientSchema).parse((await call('GET', `/tenants/${slug}/clients`, { token: access })).json);
    expect(clients.data.map((c) => c.clientId)).toContain(createdClient.clientId);
    expect(JSON.stringify(clients)).not.toContain(createdClient.clientSecret!);
    const rotated = await call('POST', `/tenants/${slug}/clients/${createdClient.clientId}/rotate-secret`, { token: access });
    expect(rotated.status).toBe(200);
    const newSecret = clientWithSecretSchema.strict().parse(rotated.json).clientSecret;
    expect(newSecret).not.toBe(createdClient.clientSecret);
    const updatedClient = await call('PATCH', `/tenants/${slug}/clients/${createdClient.clientId}`, { token: access, body: { name: 'Renamed app', redirectUris: ['https://app.example.com/cb2'] } });
    expect(updatedClient.json).toMatchObject({ name: 'Renamed app', redirectUris: ['https://app.example.com/cb2'] });
    expect((await call('POST', `/tenants/${slug}/clients/${createdClient.clientId}/disable`, { token: access })).json).toMatchObject({ disabled: true });
    expect((await call('POST', `/tenants/${slug}/clients/${createdClient.clientId}/enable`, { token: access })).json).toMatchObject({ disabled: false });

    // Users, with keyset pagination.
    const alice = await call('POST', `/tenants/${slug}/users`, { token: access, body: { username: 'alice', email: 'alice@example.com', name: 'Alice', password: 'correct horse battery' } });
    expect(alice.status, alice.text).toBe(201);
    const aliceUser = userSchema.strict().parse(alice.json);
    expect(alice.text).not.toMatch(/correct horse|passwordHash|\$argon2/);
    for (const username of ['bob', 'carol', 'dave']) expect((await call('POST', `/tenants/${slug}/users`, { token: access, body: { username } })).status).toBe(201);
    const first = page(userSchema).parse((await call('GET', `/tenants/${slug}/users?limit=3`, { token: access })).json);
    expect(first.data.map((u) => u.username)).toEqual(['alice', 'bob', 'carol']);
    expect(first.total).toBe(4);
    expect(first.data.every((u) => u.mfaEnrolled === false)).toBe(true);
    expect(first.nextCursor).toBeTruthy();
    const second = page(userSchema).parse((await call('GET', `/tenants/${slug}/users?limit=3&after=${encodeURIComponent(first.nextCursor!)}`, { token: access })).json);
    expect(second.data.map((u) => u.username)).toEqual(['dave']);
    expect(second.nextCursor).toBeNull();
    const searched = page(userSchema).parse((await call('GET', `/tenants/${slug}/users?search=ca`, { token: access })).json);
    expect(searched.data.map((u) => u.username)).toEqual(['carol']);
    expect((await call('PATCH', `/tenants/${slug}/users/${aliceUser.id}`, { token: access, body: { name: 'Alice Liddell', emailVerified: true } })).json).toMatchObject({ name: 'Alice Liddell', emailVerified: true });
    expect((await call('POST', `/tenants/${slug}/users/${aliceUser.id}/disable`, { token: access })).json).toMatchObject({ disabled: true });
    expect(page(userSchema).parse((await call('GET', `/tenants/${slug}/users?status=disabled`, { token: access })).json).data.map((u) => u.username)).toEqual(['alice']);
    expect((await call('POST', `/tenants/${slug}/users/${aliceUser.id}/enable`, { token: access })).json).toMatchObject({ disabled: false });
    expect((await call('POST', `/tenants/${slug}/users/${aliceUser.id}/unlock`, { token: access })).json).toMatchObject({ locked: false });
    expect((await call('POST', `/tenants/${slug}/users/${aliceUser.id}/set-password`, { token: access, body: { password: 'temporary pass 1' } })).json).toMatchObject({ mustChangePassword: true });

    // Keys: rotate now; the previous key stays published.
    const before = z.object({ data: z.array(signingKeySchema.strict()) }).parse((await call('GET', `/tenants/${slug}/keys`, { token: access })).json).data;
    const rotation = await call('POST', `/tenants/${slug}/keys/rotate`, { token: access, body: { reason: 'e2e' } });
    expect(rotation.status, rotation.text).toBe(200);
    const result = keyRotationSchema.parse(rotation.json);
    expect(result.previousKid).toBe(before.find((k) => k.status === 'current')!.kid);
    expect(result.currentKid).toBe(before.find((k) => k.status === 'next')!.kid);
    expect(result.keys.map((k) => [k.kid, k.status])).toEqual(expect.arrayContaining([[result.previousKid, 'previous'], [result.currentKid, 'current'], [result.nextKid, 'next']]));
    expect(rotation.text).not.toMatch(/"d"|privateKey|BEGIN/);

    // Every change is an audit event with the machine client as actor.
    const events = page(auditEventSchema).parse((await call('GET', `/audit-events?tenant=${slug}&limit=100`, { token: access })).json).data;
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['tenant.created', 'tenant.updated', 'client.created', 'client.secret.rotated', 'client.updated', 'client.disabled', 'client.enabled', 'user.created', 'user.updated', 'user.disabled', 'user.enabled', 'user.unlocked', 'user.password.reset', 'key.rotated']));
    // (createTenant also registers the tenant's built-in clients, as the system.)
    for (const event of events.filter((e) => e.actorType !== 'system')) expect(event).toMatchObject({ actorType: 'client', actorId: adminClient.clientId });
    expect(events.filter((e) => e.actorType !== 'system').length).toBeGreaterThanOrEqual(14);
    const keyRotated = events.find((e) => e.type === 'key.rotated')!;
    expect(keyRotated.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(keyRotated.reason).toBe('e2e');
    // Every change made through the API names where it came from, whichever service recorded it.
    for (const event of events.filter((e) => e.actorType === 'client' && e.outcome === 'success')) expect(event.ip, event.type).toBe(keyRotated.ip);
    // Audit pagination: newest first, cursor continues strictly older.
    const one = page(auditEventSchema).parse((await call('GET', `/audit-events?tenant=${slug}&limit=1`, { token: access })).json);
    const two = page(auditEventSchema).parse((await call('GET', `/audit-events?tenant=${slug}&limit=1&after=${one.nextCursor}`, { token: access })).json);
    expect(BigInt(two.data[0].id)).toBeLessThan(BigInt(one.data[0].id));

    // Deletion needs the slug typed again.
    expectError(await call('DELETE', `/tenants/${slug}`, { token: access }), 400, 'invalid_input');
    expectError(await call('DELETE', `/tenants/${slug}?confirm=wrong`, { token: access }), 400, 'invalid_input');
    expect((await call('DELETE', `/tenants/${slug}/users/${aliceUser.id}`, { token: access })).status).toBe(204);
    expectError(await call('GET', `/tenants/${slug}/users/${aliceUser.id}`, { token: access }), 404, 'not_found');
    expect((await call('DELETE', `/tenants/${slug}/clients/${createdClient.clientId}`, { token: access })).status).toBe(204);
    expect((await call('DELETE', `/tenants/${slug}?confirm=${slug}`, { token: access })).status).toBe(204);
    expectError(await call('GET', `/tenants/${slug}`, { token: access }), 404, 'not_found');
  });

  it('an auditor-bound client reads everything, and every write is 403, audited, and changes nothing', async () => {
    const access = await token(auditorClient);
    const prisma = await getPrisma();
    const snapshot = async () => ({
      tenants: await prisma.tenant.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, displayName: true, disabled: true, settings: true, updatedAt: true } }),
      clients: await prisma.oidcClient.findMany({ orderBy: { clientId: 'asc' }, select: { clientId: true, name: true, disabled: true, secretHash: true, metadata: true } }),
      users: await prisma.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, disabled: true, passwordHash: true, lockedUntil: true } }),
      keys: await prisma.signingKey.findMany({ orderBy: { kid: 'asc' }, select: { kid: true, status: true } }),
      bindings: await prisma.adminRoleBinding.findMany({ orderBy: { id: 'asc' } }),
    });
    const binding = await prisma.adminRoleBinding.findFirstOrThrow({ where: { clientId: adminClient.clientId } });

    for (const pathname of ['/tenants', `/tenants/${seeded.slug}`, `/tenants/${seeded.slug}/clients`, `/tenants/${seeded.slug}/clients/${seeded.web.clientId}`, `/tenants/${seeded.slug}/users`, `/tenants/${seeded.slug}/users/${seeded.user.id}`, `/tenants/${seeded.slug}/keys`, '/audit-events']) {
      const reply = await call('GET', pathname, { token: access });
      expect(reply.status, `${pathname}: ${reply.text}`).toBe(200);
      expect(reply.text).not.toMatch(/secretHash|passwordHash|privateKey/);
    }
    // Role bindings are for owners only.
    expectError(await call('GET', '/role-bindings', { token: access }), 403, 'forbidden');

    const bodies: Record<string, unknown> = {
      createTenant: { slug: `nope-${crypto.randomBytes(3).toString('hex')}`, displayName: 'No' },
      updateTenant: { displayName: 'Hijacked' },
      createClient: { name: 'Evil', kind: 'machine' },
      updateClient: { name: 'Hijacked' },
      createUser: { username: 'mallory', password: 'mallory password' },
      updateUser: { name: 'Hijacked' },
      setUserPassword: { password: 'mallory password' },
      rotateKeys: {},
      grantRole: { clientId: auditorClient.clientId, role: 'owner' },
    };
    const fill = (template: string) =>
      template.replace('{slug}', seeded.slug).replace('{clientId}', seeded.web.clientId).replace('{userId}', seeded.user.id).replace('{id}', binding.id) + (template === '/tenants/{slug}' ? `?confirm=${seeded.slug}` : '');
    const before = await snapshot();
    const writes = operations.filter((op) => op.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const op of writes) {
      const reply = await call(op.method, fill(op.path), { token: access, ...(op.body ? { body: bodies[op.id] ?? {} } : {}) });
      expect(reply.status, `${op.id} (${op.method} ${op.path}): ${reply.text}`).toBe(403);
      expect(errorBody.parse(reply.json).error.code).toBe('forbidden');
    }
    expect(await snapshot()).toEqual(before);
    const denied = await auditEvents({ type: 'admin.access.denied', actorId: auditorClient.clientId }, writes.length);
    expect(denied.length).toBeGreaterThanOrEqual(writes.length);
    expect(denied.every((e) => e.outcome === 'denied' && e.actorType === 'client')).toBe(true);
  });

  it('a read-only token (scope api:read) reads but cannot write, whatever its roles', async () => {
    const readOnly = await token(adminClient, 'api:read');
    expect(jose.decodeJwt(readOnly).scope).toBe('api:read');
    expect((await call('GET', '/tenants', { token: readOnly })).status).toBe(200);
    const count = await (await getPrisma()).tenant.count();
    const refused = await call('POST', '/tenants', { token: readOnly, body: { slug: `ro-${crypto.randomBytes(3).toString('hex')}`, displayName: 'Read only' } });
    expectError(refused, 403, 'forbidden');
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="insufficient_scope".*scope="api:write"/);
    expectError(await call('POST', `/tenants/${seeded.slug}/keys/rotate`, { token: readOnly, body: {} }), 403, 'forbidden');
    expect(await (await getPrisma()).tenant.count()).toBe(count);

    // A token with neither API scope is refused outright (RFC 6750 §3.1 insufficient_scope).
    const noScope = await token(adminClient, '');
    const reply = await call('GET', '/tenants', { token: noScope });
    expectError(reply, 403, 'forbidden');
    expect(reply.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    // …and the refusal is audited like any other.
    expect((await auditEvents({ type: 'admin.access.denied', actorId: adminClient.clientId })).some((e) => e.reason?.includes('needs scope'))).toBe(true);
  });

  it('refuses missing, garbage, forged, expired, mistyped and other tenants\' tokens with 401 and a Bearer challenge', async () => {
    const missing = await call('GET', '/tenants');
    expectError(missing, 401, 'unauthorized');
    // No credentials: a challenge without an error code (RFC 6750 §3.1).
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+"$/);

    const invalidToken = async (reply: Reply) => {
      expectError(reply, 401, 'unauthorized');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
    };
    await invalidToken(await call('GET', '/tenants', { token: 'garbage' }));
    await invalidToken(await call('GET', '/tenants', { token: 'a.b.c' }));
    await invalidToken(await call('GET', '/tenants', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }));

    // Sign tokens with the admin tenant's real current key (the test shares the database and
    // MASTER_KEY), so each refusal below is for the reason the test names, not the signature.
    const { keys } = await loadSigningKeyset(await getPrisma(), adminTenantId);
    const current = keys[0] as unknown as jose.JWK & { kid: string };
    const signingKey = await jose.importJWK(current, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: jose.JWTPayload = {}, header: Partial<jose.JWTHeaderParameters> = {}, key: Parameters<jose.SignJWT['sign']>[0] = signingKey) =>
      new jose.SignJWT({ iss: adminIssuer, aud: `${adminIssuer}/api`, client_id: adminClient.clientId, scope: 'api:read api:write', iat: now, exp: now + 300, jti: crypto.randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: current.kid, typ: 'at+jwt', ...header })
        .sign(key);
    // Control: a well-formed token signed with the real key is accepted.
    expect((await call('GET', '/tenants', { token: await sign({}) })).status).toBe(200);

    const expired = await call('GET', '/tenants', { token: await sign({ iat: now - 7200, exp: now - 3600 }) });
    await invalidToken(expired);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
    // Same kid, another key: the signature does not verify.
    const { privateKey: otherKey } = await jose.generateKeyPair('RS256');
    await invalidToken(await call('GET', '/tenants', { token: await sign({}, {}, otherKey) }));
    // An ID token or any JWT that is not an access token (RFC 9068 §4 typ).
    await invalidToken(await call('GET', '/tenants', { token: await sign({}, { typ: 'JWT' }) }));
    await invalidToken(await call('GET', '/tenants', { token: await sign({ aud: `${env.server.origin}/t/${seeded.slug}/api` }) }));
    // alg none / HS256 are not accepted.
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: adminIssuer, aud: `${adminIssuer}/api`, client_id: adminClient.clientId, scope: 'api:write', iat: now, exp: now + 300 })).toString('base64url')}.`;
    await invalidToken(await call('GET', '/tenants', { token: unsigned }));

    // A machine client of another tenant gets a valid token from its own issuer: not for this API.
    const other = await tokenRequest(`${env.server.origin}/t/${seeded.slug}/token`, seeded.machine, { grant_type: 'client_credentials', scope: 'api:read api:write' });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    await invalidToken(await call('GET', '/tenants', { token: other.body.access_token }));

    // A client without bindings authenticates but may do nothing; a disabled client's tokens die with it.
    expectError(await call('GET', '/tenants', { token: await token(unboundClient) }), 403, 'forbidden');
    const doomed = await machine('Soon disabled', 'admin');
    const doomedToken = await token(doomed);
    expect((await call('GET', '/tenants', { token: doomedToken })).status).toBe(200);
    await (await getPrisma()).oidcClient.update({ where: { tenantId_clientId: { tenantId: adminTenantId, clientId: doomed.clientId } }, data: { disabled: true } });
    await invalidToken(await call('GET', '/tenants', { token: doomedToken }));

    // Every refused token is a security event, with the caller's address.
    const failures = await auditEvents({ type: 'admin.api.authentication.failed' }, 10);
    expect(failures.length).toBeGreaterThanOrEqual(10);
    expect(failures.every((e) => e.outcome === 'failure' && e.ip !== null)).toBe(true);
    expect(JSON.stringify(failures.map((e) => e.details))).not.toContain('eyJ');
  });

  it('the local operator token works from loopback only with the current token', async () => {
    const operatorToken = fs.readFileSync(path.join(dataDir, 'operator.token'), 'utf8').trim();
    expect(fs.statSync(path.join(dataDir, 'operator.token')).mode & 0o777).toBe(0o600);
    const listed = await call('GET', '/tenants', { token: operatorToken, headers: { 'x-iam-operator': 'e2e-operator' } });
    expect(listed.status, listed.text).toBe(200);
    // A client cannot claim to be elsewhere: the server sets the address header from the socket.
    expect((await call('GET', '/tenants', { token: operatorToken, headers: { 'x-iam-client-ip': '203.0.113.9' } })).status).toBe(200);
    await expect(auditEvents({ type: 'admin.data.read', actorId: 'operator:e2e-operator' })).resolves.not.toHaveLength(0);
    const wrong = await call('GET', '/tenants', { token: crypto.randomBytes(32).toString('base64url') });
    expectError(wrong, 401, 'unauthorized');
  });

  it('owners manage role bindings: grant to a machine client, which then may act; revoke, and it may not', async () => {
    const owner = await token(ownerClient);
    expectError(await call('GET', '/role-bindings', { token: await token(adminClient) }), 403, 'forbidden');
    const newcomer = await machine('Newcomer');
    expectError(await call('GET', `/tenants/${seeded.slug}/users`, { token: await token(newcomer) }), 403, 'forbidden');

    const granted = await call('POST', '/role-bindings', { token: owner, body: { clientId: newcomer.clientId, role: 'helpdesk', tenant: seeded.slug } });
    expect(granted.status, granted.text).toBe(201);
    const binding = roleBindingSchema.strict().parse(granted.json);
    expect(binding).toMatchObject({ role: 'helpdesk', clientId: newcomer.clientId, user: null, tenant: { slug: seeded.slug } });
    expect((await call('GET', '/role-bindings?limit=200', { token: owner })).json.data.map((b: { id: string }) => b.id)).toContain(binding.id);
    expectError(await call('POST', '/role-bindings', { token: owner, body: { clientId: newcomer.clientId, role: 'helpdesk', tenant: seeded.slug } }), 409, 'conflict');

    const helpdesk = await token(newcomer);
    expect((await call('GET', `/tenants/${seeded.slug}/users`, { token: helpdesk })).status).toBe(200);
    // Scoped to one tenant: the tenant list shows only it, and other tenants are forbidden.
    expect((await call('GET', '/tenants', { token: helpdesk })).json.data.map((t: { slug: string }) => t.slug)).toEqual([seeded.slug]);
    expectError(await call('GET', '/tenants/admin/users', { token: helpdesk }), 403, 'forbidden');
    // Helpdesk supports users but cannot create them; and gets 403, not 404, for unknown tenants.
    expectError(await call('POST', `/tenants/${seeded.slug}/users`, { token: helpdesk, body: { username: 'zed' } }), 403, 'forbidden');
    const unknown = await call('GET', '/tenants/no-such-tenant/users', { token: helpdesk });
    expectError(unknown, 403, 'forbidden');
    // Word for word the refusal of an existing tenant outside its scope: no probing for slugs.
    expect(unknown.json.error.message).toBe((await call('GET', '/tenants/admin/users', { token: helpdesk })).json.error.message);

    expect((await call('DELETE', `/role-bindings/${binding.id}`, { token: owner })).status).toBe(204);
    expectError(await call('GET', `/tenants/${seeded.slug}/users`, { token: helpdesk }), 403, 'forbidden');
    const events = await auditEvents({ type: 'admin.role.granted', actorId: ownerClient.clientId });
    expect(events[0]).toMatchObject({ subject: newcomer.clientId, outcome: 'success' });
    expect(await auditEvents({ type: 'admin.role.revoked', actorId: ownerClient.clientId })).toHaveLength(1);

    // Roles go to machine clients only (a web client acts for users), and to exactly one principal.
    const webClient = await createClient(adminTenantId, { name: 'A web app', kind: 'web', redirectUris: ['https://app.example.com/cb'] }, system);
    expectError(await call('POST', '/role-bindings', { token: owner, body: { clientId: webClient.clientId, role: 'admin' } }), 400, 'invalid_input');
    expectError(await call('POST', '/role-bindings', { token: owner, body: { role: 'admin' } }), 400, 'invalid_input');
  });

  it('bad JSON and invalid bodies are 400 with the fields at fault; unknown things are 404; never a 500', async () => {
    const access = await token(adminClient);
    const badJson = await call('POST', '/tenants', { token: access, raw: '{"slug": "x",', headers: { 'content-type': 'application/json' } });
    expectError(badJson, 400, 'invalid_input');
    expect(badJson.json.error.message).toMatch(/JSON/);
    expectError(await call('POST', '/tenants', { token: access, raw: 'slug=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_input');
    // U+0000, which Postgres cannot store: refused at the door, in a body or in the query.
    expectError(await call('POST', `/tenants/${seeded.slug}/users`, { token: access, body: { username: 'nul-user', name: 'a\u0000b' } }), 400, 'invalid_input');
    expectError(await call('GET', `/tenants/${seeded.slug}/users?q=a%00b`, { token: access }), 400, 'invalid_input');
    expectError(await call('POST', '/tenants', { token: access, raw: JSON.stringify({ slug: 'x'.repeat(70_000) }), headers: { 'content-type': 'application/json' } }), 413, 'too_large');

    // A streamed (chunked) body is cut off at the limit rather than buffered whole.
    const streamed = await fetch(`${apiBase}/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(4096)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { message: string } }).error.message).toMatch(/larger than/);

    const invalid = await call('POST', '/tenants', { token: access, body: { slug: 'Bad Slug!', displayName: '' } });
    expectError(invalid, 400, 'invalid_input');
    expect(Object.keys(invalid.json.error.fields)).toEqual(expect.arrayContaining(['slug', 'displayName']));
    expectError(await call('POST', '/tenants', { token: access, body: [] }), 400, 'invalid_input');
    expectError(await call('POST', '/tenants', { token: access, body: null }), 400, 'invalid_input');
    expectError(await call('POST', '/tenants', { token: access, body: { slug: 'admin', displayName: 'Again' } }), 409, 'conflict');

    const badUri = await call('POST', `/tenants/${seeded.slug}/clients`, { token: access, body: { name: 'x', kind: 'web', redirectUris: ['http://evil.example.com/cb', 'https://ok.example.com/*'] } });
    expectError(badUri, 400, 'invalid_input');
    expect(badUri.json.error.fields).toMatchObject({ 'redirectUris.0': expect.stringMatching(/https/), 'redirectUris.1': expect.stringMatching(/wildcard/) });
    const badKind = await call('POST', `/tenants/${seeded.slug}/clients`, { token: access, body: { name: 'x', kind: 'robot' } });
    expect(Object.keys(badKind.json.error.fields)).toContain('kind');
    const badUser = await call('POST', `/tenants/${seeded.slug}/users`, { token: access, body: { username: 'ok', email: 'not-an-email', password: 'short' } });
    expect(Object.keys(badUser.json.error.fields)).toEqual(expect.arrayContaining(['email', 'password']));
    expectError(await call('PATCH', `/tenants/${seeded.slug}`, { token: access, body: { settings: { accessTokenTtlSeconds: 5 } } }), 400, 'invalid_input');
    expect((await call('GET', '/tenants?limit=0', { token: access })).json.error.fields).toHaveProperty(['query.limit']);
    expectError(await call('GET', `/tenants/${seeded.slug}/users?status=sleeping`, { token: access }), 400, 'invalid_input');
    expectError(await call('GET', '/audit-events?from=yesterday', { token: access }), 400, 'invalid_input');
    expectError(await call('GET', '/audit-events?after=abc', { token: access }), 400, 'invalid_input');
    expectError(await call('POST', `/tenants/${seeded.slug}/users/${seeded.user.id}/set-password`, { token: access, body: { password: 'x' } }), 400, 'invalid_input');
    // Changes in the admin tenant take an owner (an all-tenant admin could otherwise take over owners).
    expectError(await call('DELETE', '/tenants/admin?confirm=admin', { token: access }), 403, 'forbidden');
    expectError(await call('POST', '/tenants/admin/disable', { token: access }), 403, 'forbidden');
    expectError(await call('POST', `/tenants/admin/users/${crypto.randomUUID()}/set-password`, { token: access, body: { password: 'a-long-password' } }), 403, 'forbidden');
    const owner = await token(ownerClient);
    expectError(await call('DELETE', '/tenants/admin?confirm=admin', { token: owner }), 400, 'invalid_input');
    expectError(await call('POST', '/tenants/admin/disable', { token: owner }), 400, 'invalid_input');

    expectError(await call('GET', '/tenants/no-such-tenant', { token: access }), 404, 'not_found');
    expectError(await call('GET', `/tenants/${seeded.slug}/clients/no-such-client`, { token: access }), 404, 'not_found');
    expectError(await call('GET', `/tenants/${seeded.slug}/users/not-a-uuid`, { token: access }), 404, 'not_found');
    // Ids and values the database would refuse are 404 or 400, never a failed query.
    expectError(await call('GET', `/tenants/${seeded.slug}/users/${'1'.repeat(36)}`, { token: access }), 404, 'not_found');
    expectError(await call('POST', `/tenants/${seeded.slug}/users/${'-'.repeat(36)}/disable`, { token: access }), 404, 'not_found');
    expectError(await call('DELETE', `/role-bindings/${'a'.repeat(36)}`, { token: owner }), 404, 'not_found');
    expectError(await call('GET', `/tenants/${seeded.slug}/clients/a%00b`, { token: access }), 400, 'invalid_input');
    expectError(await call('GET', '/audit-events?after=9223372036854775808', { token: access }), 400, 'invalid_input');
    expectError(await call('GET', '/audit-events?from=-271821-04-20T00:00:00Z', { token: access }), 400, 'invalid_input');
    // A method a path does not serve: 405 in the API's format with Allow, and OPTIONS agrees.
    const wrongMethod = await call('PUT', '/tenants', { token: access, body: {} });
    expectError(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    const options = await call('OPTIONS', `/tenants/${seeded.slug}/users/${seeded.user.id}/unlock`);
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'POST, OPTIONS']);
    expectError(await call('GET', `/tenants/${seeded.slug}/users/${crypto.randomUUID()}`, { token: access }), 404, 'not_found');
    expectError(await call('DELETE', `/role-bindings/${crypto.randomUUID()}`, { token: await token(ownerClient) }), 404, 'not_found');
    expectError(await call('GET', '/no/such/endpoint', { token: access }), 404, 'not_found');
    expectError(await call('GET', `/tenants/${'x'.repeat(5000)}`, { token: access }), 404, 'not_found');
  });

  it('serves a valid OpenAPI 3.1 document listing every route, with the client credentials scheme', async () => {
    const response = await fetch(`${apiBase}/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe('3.1.0');
    // Official OpenAPI 3.1 schema validation and $ref resolution.
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();
    expect(document.components.securitySchemes.adminClientCredentials.flows.clientCredentials).toEqual({
      tokenUrl: `${adminIssuer}/token`,
      scopes: { 'api:read': expect.any(String), 'api:write': expect.any(String) },
    });
    expect(document.servers[0].url).toBe(apiBase);

    // Every route file under app/api/admin/v1 is documented, under the path its folder names.
    const root = path.resolve(import.meta.dirname, '../app/api/admin/v1');
    const routeFiles = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('route.ts') && !f.includes('[...') && !f.startsWith('openapi.json'));
    const documented = new Set<string>();
    for (const [p, item] of Object.entries(document.paths as Record<string, Record<string, { operationId: string }>>)) for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${p}`);
    const routed = new Set<string>();
    for (const file of routeFiles) {
      const module = (await import(path.join(root, file))) as Record<string, AdminRouteHandler>;
      const folder = `/${path.dirname(file)}`.replace(/\[(\w+)\]/g, '{$1}');
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
        const handler = module[method];
        if (!handler?.operation) continue; // not served: a 405 refusal (otherMethods)
        expect(handler.operation.path, file).toBe(folder);
        expect(handler.operation.method).toBe(method);
        expect(document.paths[folder]?.[method.toLowerCase()]?.operationId, `${method} ${folder}`).toBe(handler.operation.id);
        routed.add(`${method} ${folder}`);
      }
    }
    expect([...documented].sort()).toEqual([...routed].sort());
    expect(routed.size).toBe(operations.length);
    // Each documented operation says what it needs.
    for (const item of Object.values(document.paths as Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>)) {
      for (const op of Object.values(item)) {
        expect(op.security.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '500']));
      }
    }
  });
});

/**
 * The admin CLI as an operator runs it: a child process (`node --import tsx cli/index.ts …`).
 * On PostgreSQL it opens the database itself; on the embedded database it goes through the
 * running server's admin API (PGlite allows one process per data directory) and opens the data
 * directory itself only when no server holds it. Every command is audited as operator:<name>.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInitialSetup } from '@/lib/bootstrap';
import { getPrisma } from '@/lib/db';
import { closeDatabase, openDatabase } from '@/lib/db/open';
import { createTestDatabase } from './support/database';
import { postgresUrl, requirement } from './support/env';
import { startServer, type RunningServer } from './support/server';
import { tokenRequest } from './support/token-client';

const root = path.resolve(import.meta.dirname, '..');
const operator = `operator:${os.userInfo().username}`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with exactly the given environment (plus PATH/HOME), optionally feeding stdin. */
function iam(args: string[], env: Record<string, string>, input?: string, entry = 'cli/index.ts'): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      entry.endsWith('.mjs') ? [entry, ...args] : ['--import', 'tsx', entry, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } as unknown as NodeJS.ProcessEnv, timeout: 90_000, encoding: 'utf8' },
      (error: ExecFileException | null, stdout: string, stderr: string) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

const ok = (run: Run) => {
  expect(run.code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
  return run;
};
const json = (run: Run) => JSON.parse(ok(run).stdout);
/** A failure: the given exit code, nothing on stdout, one line on stderr. */
function fails(run: Run, code: number, message: RegExp) {
  expect(run.code, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^iam: /);
  expect(lines[0]).toMatch(message);
}
const suffix = () => crypto.randomBytes(3).toString('hex');

describe('admin CLI: usage', () => {
  it('prints help and refuses unknown commands and flags with exit code 2, before touching any database', async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    const help = ok(await iam(['--help'], env));
    for (const command of ['tenant create', 'tenant list', 'tenant disable', 'client create', 'client list', 'client rotate-secret', 'client delete', 'user create', 'user list', 'user disable', 'user set-password', 'admin grant-role', 'key list', 'key rotate']) {
      expect(help.stdout).toContain(command);
    }
    expect(ok(await iam(['client', 'create', '--help'], env)).stdout).toMatch(/--redirect-uri <uri>.*repeatable/);
    // npx iam runs the same program through bin/iam.mjs.
    expect(ok(await iam(['tenant', '--help'], env, undefined, 'bin/iam.mjs')).stdout).toMatch(/Usage: iam tenant <create\|list\|disable\|enable>/);
    fails(await iam(['frobnicate', 'list'], env), 2, /unknown resource "frobnicate"/);
    fails(await iam(['tenant', 'explode'], env), 2, /unknown command "tenant explode"/);
    fails(await iam(['tenant', 'create', '--slug', 'x', '--name', 'X', '--colour', 'red'], env), 2, /--colour/);
    fails(await iam(['tenant', 'create', '--name', 'X'], env), 2, /missing --slug/);
    expect((await iam([], env)).code).toBe(2);
    fails(await iam(['tenant', 'list'], { DATABASE_URL: 'mysql://x' }), 2, /DATABASE_URL must be a postgres/);
  });
});

describe.runIf(requirement('postgres'))('admin CLI on PostgreSQL (DATABASE_URL): opens the database directly', { timeout: 120_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const slug = `cli-${suffix()}`;

  beforeAll(async () => {
    database = await createTestDatabase(postgresUrl!);
    const masterKey = crypto.randomBytes(32).toString('base64');
    process.env.DATABASE_URL = database.url;
    process.env.MASTER_KEY = masterKey;
    await openDatabase();
    // The admin tenant, as the server's first start would make it (for admin grant-role).
    await ensureInitialSetup();
    env = { DATABASE_URL: database.url, MASTER_KEY: masterKey, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'iam-cli-pg-')) };
  });
  afterAll(async () => {
    await closeDatabase();
    await database?.drop();
  });

  it('tenant create/list/disable with --json', async () => {
    const tenant = json(await iam(['tenant', 'create', '--slug', slug, '--name', 'Made by the CLI', '--json'], env));
    expect(tenant).toMatchObject({ slug, displayName: 'Made by the CLI', disabled: false });
    const list = json(await iam(['tenant', 'list', '--json', '--limit', '200'], env));
    expect(list.data.map((t: { slug: string }) => t.slug)).toContain(slug);
    const human = ok(await iam(['tenant', 'list'], env));
    expect(human.stdout).toMatch(new RegExp(`^${slug}\\s+Made by the CLI\\s+false`, 'm'));

    const other = `cli-${suffix()}`;
    ok(await iam(['tenant', 'create', '--slug', other, '--name', 'Other'], env));
    expect(json(await iam(['tenant', 'disable', '--slug', other, '--json'], env))).toMatchObject({ slug: other, disabled: true });
    expect((await (await getPrisma()).tenant.findUniqueOrThrow({ where: { slug: other } })).disabled).toBe(true);
    expect(json(await iam(['tenant', 'enable', '--slug', other, '--json'], env))).toMatchObject({ slug: other, disabled: false });
  });

  it('fails with a one-line error and a meaningful exit code', async () => {
    fails(await iam(['tenant', 'create', '--slug', 'Bad Slug!', '--name', 'X'], env), 2, /slug: lower-case letters, digits and inner hyphens only/);
    fails(await iam(['tenant', 'create', '--slug', slug, '--name', 'Again'], env), 4, /already exists/);
    fails(await iam(['client', 'list', '--tenant', 'no-such-tenant'], env), 3, /no tenant "no-such-tenant"/);
    fails(await iam(['client', 'create', '--tenant', slug, '--name', 'x', '--kind', 'web', '--redirect-uri', 'http://evil.example.com/cb'], env), 2, /redirectUris\.0: .*https/);
    fails(await iam(['user', 'disable', '--tenant', slug, '--user', 'nobody'], env), 3, /no user "nobody"/);
    fails(await iam(['tenant', 'disable', '--slug', 'admin'], env), 2, /admin tenant cannot be disabled/);
    expect(await (await getPrisma()).tenant.count({ where: { slug: { startsWith: 'bad' } } })).toBe(0);
  });

  it('client create prints the secret once; rotate-secret prints the new one; delete needs --yes', async () => {
    const created = ok(await iam(['client', 'create', '--tenant', slug, '--name', 'Batch job', '--kind', 'machine'], env));
    const clientId = /^clientId: (\S+)$/m.exec(created.stdout)![1];
    const secret = /^clientSecret: (\S+)$/m.exec(created.stdout)![1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(created.stdout.split(secret)).toHaveLength(2); // exactly once
    expect(created.stdout).toContain('shown this once');

    const listed = ok(await iam(['client', 'list', '--tenant', slug, '--json'], env));
    expect(JSON.parse(listed.stdout).data.map((c: { clientId: string }) => c.clientId)).toContain(clientId);
    expect(listed.stdout).not.toContain(secret);
    const stored = await (await getPrisma()).oidcClient.findFirstOrThrow({ where: { clientId } });
    expect(stored.secretHash).not.toContain(secret);

    const rotated = json(await iam(['client', 'rotate-secret', '--tenant', slug, '--client', clientId, '--json'], env));
    expect(rotated.clientSecret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(rotated.clientSecret).not.toBe(secret);

    const web = json(await iam(['client', 'create', '--tenant', slug, '--name', 'Web', '--kind', 'web', '--redirect-uri', 'https://app.example.com/cb', '--redirect-uri', 'http://localhost:8080/cb', '--json'], env));
    expect(web.redirectUris).toEqual(['https://app.example.com/cb', 'http://localhost:8080/cb']);
    fails(await iam(['client', 'delete', '--tenant', slug, '--client', web.clientId], env), 2, /--yes/);
    expect(ok(await iam(['client', 'delete', '--tenant', slug, '--client', web.clientId, '--yes'], env)).stdout).toContain(`deleted client ${web.clientId}`);
    expect(await (await getPrisma()).oidcClient.count({ where: { clientId: web.clientId } })).toBe(0);
  });

  it('user create (password from stdin), list, disable and set-password by username', async () => {
    const user = json(await iam(['user', 'create', '--tenant', slug, '--username', 'bob', '--email', 'bob@example.com', '--name', 'Bob', '--password-stdin', '--json'], env, 'a long enough password\n'));
    expect(user).toMatchObject({ username: 'bob', email: 'bob@example.com', disabled: false });
    const row = await (await getPrisma()).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    expect(json(await iam(['user', 'list', '--tenant', slug, '--search', 'bo', '--json'], env)).data.map((u: { username: string }) => u.username)).toEqual(['bob']);
    expect(json(await iam(['user', 'disable', '--tenant', slug, '--user', 'bob', '--json'], env))).toMatchObject({ id: user.id, disabled: true });
    const reset = ok(await iam(['user', 'set-password', '--tenant', slug, '--user', user.id], env));
    expect(reset.stdout).toMatch(/^temporaryPassword: [A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/m);
    expect(reset.stdout).toContain('mustChangePassword: true');
  });

  it('key list and key rotate', async () => {
    const before = json(await iam(['key', 'list', '--tenant', slug, '--json'], env)).data as { kid: string; status: string }[];
    const rotation = json(await iam(['key', 'rotate', '--tenant', slug, '--reason', 'cli test', '--json'], env));
    expect(rotation.previousKid).toBe(before.find((k) => k.status === 'current')!.kid);
    expect(rotation.currentKid).toBe(before.find((k) => k.status === 'next')!.kid);
    expect(ok(await iam(['key', 'list', '--tenant', slug], env)).stdout).toMatch(new RegExp(`^${rotation.currentKid}\\s+current\\s+RS256\\s+2048`, 'm'));
  });

  it('admin grant-role binds a machine client of the admin tenant', async () => {
    const machine = json(await iam(['client', 'create', '--tenant', 'admin', '--name', 'CI pipeline', '--kind', 'machine', '--json'], env));
    const granted = ok(await iam(['admin', 'grant-role', '--client', machine.clientId, '--role', 'auditor', '--tenant', slug], env));
    expect(granted.stdout).toContain(`granted auditor to client ${machine.clientId} on tenant ${slug}`);
    const binding = await (await getPrisma()).adminRoleBinding.findFirstOrThrow({ where: { clientId: machine.clientId } });
    expect(binding.role).toBe('auditor');
    fails(await iam(['admin', 'grant-role', '--client', machine.clientId, '--role', 'auditor', '--tenant', slug], env), 4, /already has that role/);
    fails(await iam(['admin', 'grant-role', '--user', 'admin', '--client', machine.clientId, '--role', 'owner'], env), 2, /exactly one of --user or --client/);
    fails(await iam(['admin', 'grant-role', '--user', 'admin', '--role', 'emperor'], env), 2, /role/);
  });

  it('every command is an audit event with the operator as actor', async () => {
    const events = await (await getPrisma()).auditEvent.findMany({ where: { actorId: operator }, orderBy: { id: 'asc' } });
    const types = new Set(events.map((e) => e.type));
    for (const type of ['tenant.created', 'tenant.disabled', 'client.created', 'client.secret.rotated', 'client.deleted', 'user.created', 'user.disabled', 'user.password.reset', 'key.rotated', 'admin.role.granted', 'admin.data.read']) {
      expect(types, type).toContain(type);
    }
    expect(events.every((e) => e.actorType === 'admin')).toBe(true);
    // Reads too (the operator needs no sign-in, so even reading is on the record).
    expect(events.filter((e) => e.type === 'admin.data.read').map((e) => (e.details as { operation: string }).operation)).toEqual(expect.arrayContaining(['listTenants', 'listClients', 'listUsers', 'listKeys']));
    expect(JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toMatch(/a long enough password/);
  });
});

describe('admin CLI on the embedded database (PGlite)', { timeout: 180_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-cli-pglite-'));
  // No DATABASE_URL: the embedded database; no MASTER_KEY: the one in DATA_DIR/master.key.
  const env = { DATABASE_URL: '', MASTER_KEY: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const cliEnv = { DATA_DIR: dataDir };
  const slug = `pgl-${suffix()}`;
  let server: RunningServer | undefined;
  let machine: { clientId: string; clientSecret: string };

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('while the server runs, commands go through its admin API on loopback and the data directory is opened once', async () => {
    server = await startServer(env);
    const serverPid = Number(fs.readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8'));

    const created = await iam(['tenant', 'create', '--slug', slug, '--name', 'Via the server', '--json', '--verbose'], cliEnv);
    expect(JSON.parse(ok(created).stdout)).toMatchObject({ slug, issuer: `${server.origin}/t/${slug}` });
    expect(created.stderr).toContain(`through the running server (pid ${serverPid})`);

    const client = ok(await iam(['client', 'create', '--tenant', slug, '--name', 'Machine', '--kind', 'machine'], cliEnv));
    machine = { clientId: /^clientId: (\S+)$/m.exec(client.stdout)![1], clientSecret: /^clientSecret: (\S+)$/m.exec(client.stdout)![1] };
    const rotation = json(await iam(['key', 'rotate', '--tenant', slug, '--json'], cliEnv));
    // Several CLI processes at once are fine: they are all clients of the one server.
    const runs = await Promise.all([iam(['tenant', 'list', '--json'], cliEnv), iam(['key', 'list', '--tenant', slug, '--json'], cliEnv), iam(['user', 'create', '--tenant', slug, '--username', 'carol', '--json'], cliEnv)]);
    expect(JSON.parse(ok(runs[0]).stdout).data.map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['admin', 'demo', slug]));
    expect(JSON.parse(ok(runs[1]).stdout).data.find((k: { status: string }) => k.status === 'current').kid).toBe(rotation.currentKid);
    ok(runs[2]);
    fails(await iam(['tenant', 'create', '--slug', 'NOPE', '--name', 'x'], cliEnv), 2, /slug/);

    // The server kept the data directory, still serves, and sees what the CLI made: the new
    // tenant's issuer issues a token to the new client, signed with the key the rotation promoted.
    expect(Number(fs.readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8'))).toBe(serverPid);
    expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
    const token = await tokenRequest(`${server.origin}/t/${slug}/token`, machine, { grant_type: 'client_credentials', scope: 'api:read' });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(server.output()).not.toMatch(/in use by process|Could not lock/);

    // Audited as the operator, with the loopback address the request came from.
    const operatorToken = fs.readFileSync(path.join(dataDir, 'operator.token'), 'utf8').trim();
    const events = (await (await fetch(`${server.origin}/api/admin/v1/audit-events?actor=${encodeURIComponent(operator)}&limit=100`, { headers: { authorization: `Bearer ${operatorToken}` } })).json()) as { data: { type: string; ip: string | null }[] };
    expect(events.data.map((e) => e.type)).toEqual(expect.arrayContaining(['tenant.created', 'client.created', 'key.rotated', 'user.created', 'admin.data.read']));
    expect(events.data.find((e) => e.type === 'key.rotated')!.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it('with the server stopped, the CLI opens the data directory itself (and releases it)', async () => {
    await server!.stop();
    server = undefined;
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);

    const listed = await iam(['tenant', 'list', '--json', '--verbose'], cliEnv);
    expect(JSON.parse(ok(listed).stdout).data.map((t: { slug: string }) => t.slug)).toContain(slug);
    expect(listed.stderr).toContain(`on the embedded database in ${dataDir}`);
    ok(await iam(['user', 'create', '--tenant', slug, '--username', 'dave'], cliEnv));
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);

    // The server starts again on the same directory and has what the CLI wrote.
    server = await startServer(env);
    const operatorToken = fs.readFileSync(path.join(dataDir, 'operator.token'), 'utf8').trim();
    const users = (await (await fetch(`${server.origin}/api/admin/v1/tenants/${slug}/users`, { headers: { authorization: `Bearer ${operatorToken}` } })).json()) as { data: { username: string }[] };
    expect(users.data.map((u) => u.username)).toEqual(['carol', 'dave']);
  });
});

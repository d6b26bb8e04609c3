import crypto from 'node:crypto';
import fs from 'node:fs';
import { CliError, EXIT } from './errors';
import type { Transport } from './transport';
import { printObject, printTable, type Printer } from './output';

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  required?: boolean;
  /** Shown in help, e.g. "<slug>". */
  value?: string;
  description: string;
}

export interface Command {
  resource: string;
  verb: string;
  summary: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  run(flags: Flags, transport: Transport): Promise<unknown>;
  /** Human output (without --json). */
  print(result: unknown, out: Printer): void;
}

const str = (flags: Flags, name: string) => flags[name] as string | undefined;
const list = (flags: Flags, name: string) => (flags[name] as string[] | undefined) ?? [];

const tenantOption: OptionSpec = { type: 'string', required: true, value: '<slug>', description: 'the tenant' };
const pageOptions: Record<string, OptionSpec> = {
  limit: { type: 'string', value: '<n>', description: 'page size (default 50, at most 200)' },
  after: { type: 'string', value: '<cursor>', description: 'continue after this cursor (nextCursor of the previous page)' },
};

/** A password from --password-stdin (first line), --password, or none. */
function readPassword(flags: Flags): string | undefined {
  if (flags['password-stdin']) {
    const text = fs.readFileSync(0, 'utf8');
    const line = text.split(/\r?\n/)[0];
    if (!line) throw new CliError('--password-stdin: no password on standard input', EXIT.usage);
    return line;
  }
  return str(flags, 'password');
}

/** A readable generated password (about 100 bits), for set-password without one given. */
function generatePassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => alphabet[crypto.randomInt(alphabet.length)]).join('')).join('-');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** --user takes an id or a username; a username is looked up (exact match) in the tenant. */
async function resolveUserId(transport: Transport, tenant: string, user: string): Promise<string> {
  if (UUID.test(user)) return user;
  const page = (await transport.call('listUsers', { params: { slug: tenant }, query: { search: user, limit: '200' } })) as { data: { id: string; username: string }[] };
  const found = page.data.find((u) => u.username === user.toLowerCase());
  if (!found) throw new CliError(`no user "${user}" in tenant ${tenant}`, EXIT.notFound, 'not_found');
  return found.id;
}

type Row = Record<string, unknown>;
type Page = { data: Row[]; nextCursor: string | null; total?: number };

const printPage = (columns: string[]) => (result: unknown, out: Printer) => {
  const page = result as Page;
  printTable(out, page.data, columns);
  if (page.total !== undefined) out(`${page.data.length} of ${page.total}`);
  if (page.nextCursor) out(`more: add --after ${page.nextCursor}`);
};

const TENANT_COLUMNS = ['slug', 'displayName', 'disabled', 'userCount', 'clientCount', 'issuer'];
const CLIENT_COLUMNS = ['clientId', 'name', 'kind', 'disabled', 'redirectUris'];
const USER_COLUMNS = ['id', 'username', 'email', 'name', 'disabled', 'locked', 'mustChangePassword'];
const KEY_COLUMNS = ['kid', 'status', 'alg', 'bits', 'activatedAt', 'retireAfter'];
const SCIM_TOKEN_COLUMNS = ['id', 'name', 'prefix', 'status', 'createdAt', 'lastUsedAt', 'expiresAt'];

/** --token takes a token id or the name of a live token of the tenant. */
async function resolveScimTokenId(transport: Transport, tenant: string, token: string): Promise<string> {
  if (UUID.test(token)) return token;
  const page = (await transport.call('listScimTokens', { params: { slug: tenant }, query: { limit: '200' } })) as { data: { id: string; name: string; status: string }[] };
  const found = page.data.find((t) => t.name === token && t.status !== 'revoked');
  if (!found) throw new CliError(`no live SCIM token "${token}" in tenant ${tenant}`, EXIT.notFound, 'not_found');
  return found.id;
}

const printClientWithSecret = (result: unknown, out: Printer) => {
  const { clientSecret, ...client } = result as Row & { clientSecret: string | null };
  printObject(out, client, ['clientId', 'name', 'kind', 'redirectUris', 'grantTypes', 'tokenEndpointAuthMethod']);
  if (clientSecret) {
    out(`clientSecret: ${clientSecret}`);
    out('(the secret is shown this once: store it now)');
  }
};

export const commands: Command[] = [
  {
    resource: 'tenant',
    verb: 'create',
    summary: 'Create a tenant (its own issuer, with signing keys)',
    options: {
      slug: { type: 'string', required: true, value: '<slug>', description: 'lower-case letters, digits, inner hyphens; appears in the issuer URL' },
      name: { type: 'string', required: true, value: '<display name>', description: 'display name' },
    },
    examples: ['iam tenant create --slug acme --name "Acme Corp"'],
    run: (f, t) => t.call('createTenant', { body: { slug: str(f, 'slug'), displayName: str(f, 'name') } }),
    print: (r, out) => printObject(out, r as Row, ['slug', 'displayName', 'issuer', 'id']),
  },
  {
    resource: 'tenant',
    verb: 'list',
    summary: 'List tenants',
    options: { ...pageOptions },
    run: (f, t) => t.call('listTenants', { query: { limit: str(f, 'limit'), after: str(f, 'after') } }),
    print: printPage(TENANT_COLUMNS),
  },
  {
    resource: 'tenant',
    verb: 'disable',
    summary: 'Disable a tenant: its issuer refuses every request, sign-ins included',
    options: { slug: { type: 'string', required: true, value: '<slug>', description: 'the tenant' } },
    run: (f, t) => t.call('disableTenant', { params: { slug: str(f, 'slug')! } }),
    print: (r, out) => printObject(out, r as Row, ['slug', 'disabled']),
  },
  {
    resource: 'tenant',
    verb: 'enable',
    summary: 'Enable a disabled tenant',
    options: { slug: { type: 'string', required: true, value: '<slug>', description: 'the tenant' } },
    run: (f, t) => t.call('enableTenant', { params: { slug: str(f, 'slug')! } }),
    print: (r, out) => printObject(out, r as Row, ['slug', 'disabled']),
  },
  {
    resource: 'client',
    verb: 'create',
    summary: 'Register an OIDC client; a confidential client\'s secret is printed once',
    options: {
      tenant: tenantOption,
      name: { type: 'string', required: true, value: '<name>', description: 'display name' },
      kind: { type: 'string', required: true, value: 'web|spa|native|machine', description: 'application type (sets sensible defaults)' },
      'redirect-uri': { type: 'string', multiple: true, value: '<uri>', description: 'redirect URI (repeatable; https, or http on loopback)' },
      'post-logout-redirect-uri': { type: 'string', multiple: true, value: '<uri>', description: 'post-logout redirect URI (repeatable)' },
      scope: { type: 'string', value: '"<scopes>"', description: 'limit the scopes the client may request' },
      'auth-method': { type: 'string', value: 'client_secret_basic|client_secret_post', description: 'how a confidential client sends its secret (default: HTTP Basic)' },
    },
    examples: ['iam client create --tenant acme --name "Web app" --kind web --redirect-uri https://app.example.com/callback', 'iam client create --tenant admin --name ci --kind machine'],
    run: (f, t) =>
      t.call('createClient', {
        params: { slug: str(f, 'tenant')! },
        body: { name: str(f, 'name'), kind: str(f, 'kind'), redirectUris: list(f, 'redirect-uri'), postLogoutRedirectUris: list(f, 'post-logout-redirect-uri'), ...(str(f, 'scope') ? { scope: str(f, 'scope') } : {}), ...(str(f, 'auth-method') ? { tokenEndpointAuthMethod: str(f, 'auth-method') } : {}) },
      }),
    print: printClientWithSecret,
  },
  {
    resource: 'client',
    verb: 'list',
    summary: "List a tenant's clients",
    options: { tenant: tenantOption, ...pageOptions },
    run: (f, t) => t.call('listClients', { params: { slug: str(f, 'tenant')! }, query: { limit: str(f, 'limit'), after: str(f, 'after') } }),
    print: printPage(CLIENT_COLUMNS),
  },
  {
    resource: 'client',
    verb: 'rotate-secret',
    summary: "Replace a client's secret (the old one stops working at once); prints the new one once",
    options: { tenant: tenantOption, client: { type: 'string', required: true, value: '<client id>', description: 'the client' } },
    run: (f, t) => t.call('rotateClientSecret', { params: { slug: str(f, 'tenant')!, clientId: str(f, 'client')! } }),
    print: printClientWithSecret,
  },
  {
    resource: 'client',
    verb: 'delete',
    summary: 'Delete a client with every grant and token issued to it',
    options: {
      tenant: tenantOption,
      client: { type: 'string', required: true, value: '<client id>', description: 'the client' },
      yes: { type: 'boolean', description: 'confirm the deletion (required)' },
    },
    async run(f, t) {
      if (!f.yes) throw new CliError('deleting a client cannot be undone: add --yes to confirm', EXIT.usage);
      await t.call('deleteClient', { params: { slug: str(f, 'tenant')!, clientId: str(f, 'client')! } });
      return { deleted: true, clientId: str(f, 'client') };
    },
    print: (r, out) => out(`deleted client ${(r as Row).clientId}`),
  },
  {
    resource: 'user',
    verb: 'create',
    summary: 'Create a user',
    options: {
      tenant: tenantOption,
      username: { type: 'string', required: true, value: '<username>', description: 'sign-in name' },
      email: { type: 'string', value: '<email>', description: 'email address' },
      'email-verified': { type: 'boolean', description: 'mark the email as verified' },
      name: { type: 'string', value: '<full name>', description: 'display name' },
      'password-stdin': { type: 'boolean', description: 'read the initial password from the first line of standard input' },
      password: { type: 'string', value: '<password>', description: 'initial password (visible to other local users in the process list: prefer --password-stdin)' },
    },
    examples: ['printf "%s\\n" "$PASSWORD" | iam user create --tenant acme --username alice --email alice@example.com --password-stdin'],
    run: (f, t) =>
      t.call('createUser', {
        params: { slug: str(f, 'tenant')! },
        body: { username: str(f, 'username'), email: str(f, 'email'), emailVerified: Boolean(f['email-verified']), name: str(f, 'name'), password: readPassword(f) },
      }),
    print: (r, out) => printObject(out, r as Row, ['id', 'username', 'email', 'name']),
  },
  {
    resource: 'user',
    verb: 'list',
    summary: "List a tenant's users",
    options: {
      tenant: tenantOption,
      search: { type: 'string', value: '<prefix>', description: 'prefix of username, email or name' },
      status: { type: 'string', value: '<status>', description: 'active, disabled, locked, must_change_password, mfa_enrolled or mfa_missing' },
      ...pageOptions,
    },
    run: (f, t) => t.call('listUsers', { params: { slug: str(f, 'tenant')! }, query: { search: str(f, 'search'), status: str(f, 'status'), limit: str(f, 'limit'), after: str(f, 'after') } }),
    print: printPage(USER_COLUMNS),
  },
  {
    resource: 'user',
    verb: 'disable',
    summary: "Disable a user; ends the user's sessions and grants",
    options: { tenant: tenantOption, user: { type: 'string', required: true, value: '<id|username>', description: 'the user' } },
    async run(f, t) {
      const userId = await resolveUserId(t, str(f, 'tenant')!, str(f, 'user')!);
      return t.call('disableUser', { params: { slug: str(f, 'tenant')!, userId } });
    },
    print: (r, out) => printObject(out, r as Row, ['id', 'username', 'disabled']),
  },
  {
    resource: 'user',
    verb: 'set-password',
    summary: 'Set a temporary password (the user must change it at next sign-in); generated and printed once unless given',
    options: {
      tenant: tenantOption,
      user: { type: 'string', required: true, value: '<id|username>', description: 'the user' },
      'password-stdin': { type: 'boolean', description: 'read the password from the first line of standard input' },
      password: { type: 'string', value: '<password>', description: 'the temporary password (prefer --password-stdin)' },
    },
    async run(f, t) {
      const given = readPassword(f);
      const password = given ?? generatePassword();
      const userId = await resolveUserId(t, str(f, 'tenant')!, str(f, 'user')!);
      const user = (await t.call('setUserPassword', { params: { slug: str(f, 'tenant')!, userId }, body: { password } })) as Row;
      return given ? user : { ...user, temporaryPassword: password };
    },
    print(r, out) {
      const { temporaryPassword, ...user } = r as Row & { temporaryPassword?: string };
      printObject(out, user, ['id', 'username', 'mustChangePassword']);
      if (temporaryPassword) out(`temporaryPassword: ${temporaryPassword}\n(shown this once; the user must choose a new password at next sign-in)`);
    },
  },
  {
    resource: 'admin',
    verb: 'grant-role',
    summary: 'Grant an administrator role to a user or a machine client of the admin tenant',
    options: {
      role: { type: 'string', required: true, value: 'owner|admin|auditor|helpdesk', description: 'the role' },
      user: { type: 'string', value: '<username>', description: 'an administrator (user of the admin tenant)' },
      client: { type: 'string', value: '<client id>', description: 'a machine client of the admin tenant (admin API caller)' },
      tenant: { type: 'string', value: '<slug>', description: 'limit the role to this tenant (default: every tenant)' },
    },
    examples: ['iam admin grant-role --user alice --role auditor', 'iam admin grant-role --client <client id> --role admin --tenant acme'],
    async run(f, t) {
      if (Boolean(f.user) === Boolean(f.client)) throw new CliError('give exactly one of --user or --client', EXIT.usage);
      return t.call('grantRole', { body: { role: str(f, 'role'), username: str(f, 'user'), clientId: str(f, 'client'), tenant: str(f, 'tenant') ?? null } });
    },
    print(r, out) {
      const b = r as { id: string; role: string; user: { username: string } | null; clientId: string | null; tenant: { slug: string } | null };
      out(`granted ${b.role} to ${b.user ? `user ${b.user.username}` : `client ${b.clientId}`} on ${b.tenant ? `tenant ${b.tenant.slug}` : 'every tenant'} (binding ${b.id})`);
    },
  },
  {
    resource: 'key',
    verb: 'list',
    summary: "List a tenant's signing keys (metadata only)",
    options: { tenant: tenantOption, 'include-retired': { type: 'boolean', description: 'include retired keys' } },
    run: (f, t) => t.call('listKeys', { params: { slug: str(f, 'tenant')! }, query: { includeRetired: f['include-retired'] ? 'true' : undefined } }),
    print: printPage(KEY_COLUMNS),
  },
  {
    resource: 'key',
    verb: 'rotate',
    summary: "Rotate a tenant's signing keys now (previous key stays published until its tokens expire)",
    options: { tenant: tenantOption, reason: { type: 'string', value: '<text>', description: 'recorded in the audit event' } },
    run: (f, t) => t.call('rotateKeys', { params: { slug: str(f, 'tenant')! }, body: { ...(str(f, 'reason') ? { reason: str(f, 'reason') } : {}) } }),
    print(r, out) {
      const rotation = r as { previousKid: string | null; currentKid: string; nextKid: string };
      out(`rotated: current ${rotation.currentKid} (was ${rotation.previousKid ?? 'none'}), next ${rotation.nextKid}`);
    },
  },
  {
    resource: 'scim-token',
    verb: 'create',
    summary: "Create a tenant's SCIM bearer token; printed once, with the tenant's SCIM base URL",
    options: {
      tenant: tenantOption,
      name: { type: 'string', required: true, value: '<name>', description: 'who uses it (e.g. "Entra ID"); the audit log records every SCIM change under this name' },
      'expires-in-days': { type: 'string', value: '<days>', description: 'the token stops working after this many days (default: never)' },
    },
    examples: ['iam scim-token create --tenant acme --name "Entra ID" --expires-in-days 365'],
    run: (f, t) => t.call('createScimToken', { params: { slug: str(f, 'tenant')! }, body: { name: str(f, 'name'), ...(str(f, 'expires-in-days') ? { expiresInDays: str(f, 'expires-in-days') } : {}) } }),
    print(r, out) {
      const { token, ...record } = r as Row & { token: string };
      printObject(out, record, ['id', 'name', 'scimBaseUrl', 'expiresAt']);
      out(`token: ${token}`);
      out('(the token is shown this once: store it now; only a hash is kept)');
    },
  },
  {
    resource: 'scim-token',
    verb: 'list',
    summary: "List a tenant's SCIM tokens (never the tokens themselves)",
    options: { tenant: tenantOption, ...pageOptions },
    run: (f, t) => t.call('listScimTokens', { params: { slug: str(f, 'tenant')! }, query: { limit: str(f, 'limit'), after: str(f, 'after') } }),
    print: printPage(SCIM_TOKEN_COLUMNS),
  },
  {
    resource: 'scim-token',
    verb: 'revoke',
    summary: 'Revoke a SCIM token: its next request is refused',
    options: { tenant: tenantOption, token: { type: 'string', required: true, value: '<id|name>', description: 'the token: its id, or the name of a live token' } },
    async run(f, t) {
      const tokenId = await resolveScimTokenId(t, str(f, 'tenant')!, str(f, 'token')!);
      return t.call('revokeScimToken', { params: { slug: str(f, 'tenant')!, tokenId } });
    },
    print: (r, out) => printObject(out, r as Row, ['id', 'name', 'status', 'revokedAt']),
  },
];

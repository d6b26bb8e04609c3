import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db';
import { createClient } from '@/lib/clients';
import { createTenant, findAdminTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';
import { issuerFor } from '@/lib/oidc';

import { ADMIN_TENANT_SLUG, DEMO_TENANT_SLUG } from './constants';

export { ADMIN_TENANT_SLUG, DEMO_TENANT_SLUG };

export interface InitialSetup {
  adminIssuer: string;
  admin: { username: string; password: string };
  demoIssuer: string;
  demoUser: { username: string; password: string };
  demoClient: { clientId: string; clientSecret: string; redirectUris: string[] };
}

/** A readable generated password: 4 groups of 5 characters from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 5 }, () => alphabet[crypto.randomInt(alphabet.length)]).join(''),
  );
  return groups.join('-');
}

/**
 * First start only: the admin tenant with a first administrator (role owner), and a demo tenant
 * with a demo user and a demo web client. Returns the generated credentials to print once, or
 * null when the database was already set up.
 */
export async function ensureInitialSetup(): Promise<InitialSetup | null> {
  if (await findAdminTenant()) return null;
  const system = { type: 'system' as const, id: 'bootstrap' };

  const adminTenant = await createTenant({ slug: ADMIN_TENANT_SLUG, displayName: 'Administration', isAdmin: true }, system);
  const adminPassword = generatePassword();
  const admin = await createUser(adminTenant.id, { username: 'admin', name: 'First administrator', password: adminPassword }, system);
  const prisma = await getPrisma();
  await prisma.adminRoleBinding.create({ data: { userId: admin.id, role: 'owner' } });

  const demoTenant = await createTenant({ slug: DEMO_TENANT_SLUG, displayName: 'Demo' }, system);
  const demoPassword = generatePassword();
  await createUser(demoTenant.id, { username: 'demo', name: 'Demo User', email: 'demo@example.com', emailVerified: true, password: demoPassword }, system);
  const redirectUris = ['http://localhost:8080/callback', 'https://oidcdebugger.com/debug'];
  const client = await createClient(demoTenant.id, { name: 'Demo application', kind: 'web', redirectUris, postLogoutRedirectUris: ['http://localhost:8080/'] }, system);

  return {
    adminIssuer: issuerFor(ADMIN_TENANT_SLUG),
    admin: { username: 'admin', password: adminPassword },
    demoIssuer: issuerFor(DEMO_TENANT_SLUG),
    demoUser: { username: 'demo', password: demoPassword },
    demoClient: { clientId: client.clientId, clientSecret: client.clientSecret!, redirectUris },
  };
}

export function describeInitialSetup(setup: InitialSetup): string {
  return [
    '',
    '  First start: generated credentials (shown once, store them now)',
    '',
    `  Administrator      ${setup.admin.username} / ${setup.admin.password}`,
    `    admin issuer     ${setup.adminIssuer}`,
    `  Demo tenant        ${setup.demoIssuer}/.well-known/openid-configuration`,
    `    demo user        ${setup.demoUser.username} / ${setup.demoUser.password}`,
    `    demo client      client_id=${setup.demoClient.clientId}`,
    `                     client_secret=${setup.demoClient.clientSecret}`,
    `                     redirect_uris=${setup.demoClient.redirectUris.join(' ')}`,
    '',
  ].join('\n');
}

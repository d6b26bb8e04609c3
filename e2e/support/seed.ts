import crypto from 'node:crypto';
import { createClient } from '@/lib/clients';
import { createTenant } from '@/lib/tenants';
import { createUser } from '@/lib/users';

const system = { type: 'system' as const, id: 'test-seed' };
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/**
 * A tenant of the test's own: a user, a confidential web client, a public SPA client and a
 * machine client. Runs in the test process against the server's database (same MASTER_KEY).
 */
export async function seedTenant(prefix = 't') {
  const slug = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  const tenant = await createTenant({ slug, displayName: `Tenant ${slug}` }, system);
  const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
  const user = await createUser(tenant.id, { username: 'alice', email: 'alice@example.com', emailVerified: true, name: 'Alice Example', password }, system);
  const web = await createClient(tenant.id, { name: 'Web app', kind: 'web', redirectUris: [REDIRECT_URI], postLogoutRedirectUris: ['http://127.0.0.1:9/'] }, system);
  const spa = await createClient(tenant.id, { name: 'Single-page app', kind: 'spa', redirectUris: [REDIRECT_URI] }, system);
  const machine = await createClient(tenant.id, { name: 'Machine', kind: 'machine' }, system);
  return {
    tenant,
    slug,
    user: { id: user.id, username: 'alice', password },
    web: { clientId: web.clientId, clientSecret: web.clientSecret! },
    spa: { clientId: spa.clientId },
    machine: { clientId: machine.clientId, clientSecret: machine.clientSecret! },
  };
}
export type SeededTenant = Awaited<ReturnType<typeof seedTenant>>;

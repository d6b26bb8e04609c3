import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { createClient, clientSecretKey } from '@/lib/clients';
import { hashSecret } from '@/lib/crypto';
import { deriveKey } from '@/lib/crypto';
import { findAdminTenant } from '@/lib/tenants';

/**
 * The console is an OIDC client of the admin tenant (we sign in to our own product the way
 * customers' applications do). Its secret is derived from the master key, so it is never
 * stored in clear and every instance knows it.
 */
export const CONSOLE_CLIENT_ID = 'iam-console';

export const consoleClientSecret = () => deriveKey('console-client-secret').toString('base64url');

export function consoleUrls() {
  const origin = getConfig().server.publicOrigin;
  return { redirectUri: `${origin}/console/auth/callback`, postLogoutRedirectUri: `${origin}/console/signed-out` };
}

/** Registers the console client, or refreshes its redirect URIs when the public origin changed. */
export async function ensureConsoleClient() {
  const tenant = await findAdminTenant();
  if (!tenant) return;
  const { redirectUri, postLogoutRedirectUri } = consoleUrls();
  const prisma = await getPrisma();
  const existing = await prisma.oidcClient.findUnique({ where: { tenantId_clientId: { tenantId: tenant.id, clientId: CONSOLE_CLIENT_ID } } });
  if (!existing) {
    await createClient(tenant.id, { name: 'IAM console', kind: 'web', clientId: CONSOLE_CLIENT_ID, redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], firstParty: true }, { type: 'system', id: 'bootstrap' });
  }
  const metadata = { ...((existing?.metadata as Record<string, unknown>) ?? {}) };
  const stale = !existing || (metadata.redirect_uris as string[])?.[0] !== redirectUri;
  await prisma.oidcClient.update({
    where: { tenantId_clientId: { tenantId: tenant.id, clientId: CONSOLE_CLIENT_ID } },
    data: {
      secretHash: hashSecret(consoleClientSecret(), clientSecretKey()),
      ...(stale && existing ? { metadata: { ...metadata, redirect_uris: [redirectUri], post_logout_redirect_uris: [postLogoutRedirectUri] } as never } : {}),
    },
  });
}

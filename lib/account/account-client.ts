import crypto from 'node:crypto';
import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { createClient } from '@/lib/clients';

/**
 * Every tenant has a built-in, first-party public client for its self-service account page
 * (/t/{slug}/account): signing in there goes through the tenant's own login (password, MFA),
 * and the provider session it leaves is what the account page trusts.
 */
export const ACCOUNT_CLIENT_ID = 'account-self-service';

export const accountRedirectUri = (slug: string) => `${getConfig().server.publicOrigin}/t/${slug}/account/callback`;

export async function ensureAccountClients() {
  const prisma = await getPrisma();
  const tenants = await prisma.tenant.findMany({ select: { id: true, slug: true } });
  for (const tenant of tenants) await ensureAccountClient(tenant);
}

/** Registers the tenant's account client, or points it at the current public origin. */
export async function ensureAccountClient(tenant: { id: string; slug: string }) {
  const prisma = await getPrisma();
  {
    const redirectUri = accountRedirectUri(tenant.slug);
    const existing = await prisma.oidcClient.findUnique({ where: { tenantId_clientId: { tenantId: tenant.id, clientId: ACCOUNT_CLIENT_ID } } });
    if (!existing) {
      await createClient(tenant.id, { name: 'Your account', kind: 'spa', clientId: ACCOUNT_CLIENT_ID, redirectUris: [redirectUri], firstParty: true }, { type: 'system', id: 'bootstrap' });
    } else if ((existing.metadata as { redirect_uris?: string[] }).redirect_uris?.[0] !== redirectUri) {
      await prisma.oidcClient.update({ where: { id: existing.id }, data: { metadata: { ...(existing.metadata as object), redirect_uris: [redirectUri] } } });
    }
  }
}

/** An authorization request that (re)authenticates the user for the account page. */
export function accountSignInUrl(slug: string, issuer: string) {
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: ACCOUNT_CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: accountRedirectUri(slug),
    // The code is never redeemed: the page relies on the provider session. PKCE is still sent
    // because the provider requires it of public clients.
    code_challenge: crypto.createHash('sha256').update(crypto.randomBytes(32)).digest('base64url'),
    code_challenge_method: 'S256',
    state: crypto.randomBytes(16).toString('base64url'),
  }).toString();
  return url.href;
}

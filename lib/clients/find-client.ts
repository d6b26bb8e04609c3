import { getPrisma } from '@/lib/db';
import { cachedClientMetadata } from './metadata-cache';

/**
 * Client metadata as oidc-provider expects it. `client_secret` carries the stored keyed hash,
 * never the secret: the provider's compareClientSecret is replaced to check against it
 * (see lib/oidc/client-secrets.ts), and HMAC-based JWS algorithms are disabled, so the hash is
 * never used as a key.
 */
export async function findClientMetadata(tenantId: string, clientId: string, allowedGrantTypes?: string[]) {
  // No stored client_id is longer, or holds U+0000 (which Postgres refuses in a query).
  if (clientId.length > 128 || clientId.includes('\0')) return undefined;
  return cachedClientMetadata(tenantId, clientId, () => loadClientMetadata(tenantId, clientId, allowedGrantTypes));
}

async function loadClientMetadata(tenantId: string, clientId: string, allowedGrantTypes?: string[]) {
  const prisma = await getPrisma();
  const row = await prisma.oidcClient.findUnique({
    where: { tenantId_clientId: { tenantId, clientId } },
    select: { clientId: true, metadata: true, secretHash: true, disabled: true, name: true },
  });
  if (!row || row.disabled) return undefined;
  const metadata = row.metadata as Record<string, unknown> & { grant_types?: string[] };
  return {
    ...metadata,
    // The tenant's policy narrows what each client may use (refused as unauthorized_client).
    ...(allowedGrantTypes && metadata.grant_types ? { grant_types: metadata.grant_types.filter((g) => allowedGrantTypes.includes(g)) } : {}),
    client_id: row.clientId,
    client_name: row.name,
    ...(row.secretHash ? { client_secret: row.secretHash, client_secret_expires_at: 0 } : {}),
  };
}

import { getPrisma } from '@/lib/db';
import { recordEvent } from '@/lib/audit';
import { deriveKey, hashSecret, randomIdentifier, randomSecret } from '@/lib/crypto';
import type { Actor } from '@/lib/tenants';
import { createClientSchema, type CreateClientInput } from './schemas';
import { isConfidential, metadataForKind } from './client-metadata';
import { invalidateClientMetadata } from './metadata-cache';

export const clientSecretKey = () => deriveKey('client-secrets');

/**
 * Registers an OIDC client. A confidential client's secret is returned here, once; only its
 * keyed hash is stored.
 */
export async function createClient(tenantId: string, input: CreateClientInput, actor: Actor) {
  const data = createClientSchema.parse(input);
  (await import('@/lib/threats')).screenRedirectHosts([...data.redirectUris, ...data.postLogoutRedirectUris], tenantId, 'redirectUris', { actor });
  const clientId = data.clientId ?? randomIdentifier();
  const secret = isConfidential(data.kind) ? randomSecret() : undefined;
  const prisma = await getPrisma();
  const client = await prisma.$transaction(async (tx) => {
    const row = await tx.oidcClient.create({
      data: {
        tenantId,
        clientId,
        name: data.name,
        kind: data.kind,
        metadata: { ...metadataForKind(data.kind, data.redirectUris, data.postLogoutRedirectUris, data.scope, data.tokenEndpointAuthMethod), ...(data.firstParty ? { first_party: true } : {}) },
        secretHash: secret ? hashSecret(secret, clientSecretKey()) : null,
      },
      select: { id: true, clientId: true, name: true, kind: true, metadata: true },
    });
    await recordEvent(tx, {
      type: 'client.created',
      outcome: 'success',
      tenantId,
      actor,
      clientId,
      details: { name: data.name, kind: data.kind, redirectUris: data.redirectUris, tokenEndpointAuthMethod: isConfidential(data.kind) ? (data.tokenEndpointAuthMethod ?? 'client_secret_basic') : 'none' },
    });
    return row;
  });
  invalidateClientMetadata(tenantId, clientId); // a cached "unknown client" must not linger
  return { ...client, clientSecret: secret };
}

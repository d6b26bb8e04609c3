import type { PrismaClient } from '@/lib/db';
import { decryptPrivateJwk, publishedKeys } from './repo';

/**
 * The tenant's keystore for oidc-provider, ordered current first: oidc-provider signs with the
 * first key that fits the algorithm, so the next key is published (for verifiers to cache ahead
 * of rotation) but never signs, and previous keys only verify.
 * `version` changes whenever the published set changes, so providers know to reload.
 */
export async function loadSigningKeyset(db: Pick<PrismaClient, 'signingKey'>, tenantId: string) {
  const rows = await publishedKeys(db, tenantId);
  const rank = { current: 0, next: 1, previous: 2 } as Record<string, number>;
  rows.sort((a, b) => rank[a.status] - rank[b.status]);
  if (!rows.some((r) => r.status === 'current')) throw new Error('tenant has no current signing key');
  return {
    version: rows.map((r) => `${r.kid}:${r.status}`).join(','),
    keys: rows.map(decryptPrivateJwk),
    retireAfter: rows.map((r) => r.retireAfter).filter((d): d is Date => d !== null),
  };
}

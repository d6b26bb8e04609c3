import type Provider from 'oidc-provider';
import { verifySecret } from '@/lib/crypto';
import { clientSecretKey } from '@/lib/clients';

/**
 * oidc-provider compares a presented client_secret with the stored one in plain text. We store
 * only a keyed hash, so the comparison is replaced with a constant-time check of the hash. It is
 * also the one moment a confidential client is known to be who it says: `afterAuthenticated`
 * runs then (per-client rate limits), and may refuse the request by throwing.
 */
export function useHashedClientSecrets(provider: Provider, afterAuthenticated: (clientId: string) => Promise<void>) {
  const ClientClass = provider.Client as unknown as { prototype: { clientId: string; clientSecret?: string; compareClientSecret(actual: string): Promise<boolean> } };
  ClientClass.prototype.compareClientSecret = async function compareClientSecret(actual: string) {
    if (typeof actual !== 'string' || !this.clientSecret) return false;
    if (!verifySecret(actual, this.clientSecret, clientSecretKey())) return false;
    await afterAuthenticated(this.clientId);
    return true;
  };
}

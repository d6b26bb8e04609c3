import type Provider from 'oidc-provider';
import { verifySecret } from '@/lib/crypto';
import { clientSecretKey } from '@/lib/clients';

/**
 * oidc-provider compares a presented client_secret with the stored one in plain text. We store
 * only a keyed hash, so the comparison is replaced with a constant-time check of the hash.
 */
export function useHashedClientSecrets(provider: Provider) {
  const ClientClass = provider.Client as unknown as { prototype: { clientSecret?: string; compareClientSecret(actual: string): Promise<boolean> | boolean } };
  ClientClass.prototype.compareClientSecret = function compareClientSecret(actual: string) {
    if (typeof actual !== 'string' || !this.clientSecret) return false;
    return verifySecret(actual, this.clientSecret, clientSecretKey());
  };
}

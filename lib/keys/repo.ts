import crypto from 'node:crypto';
import type { PrismaClient } from '@/lib/db';
import { decryptSecret, deriveKey, encryptSecret } from '@/lib/crypto';
import type { GeneratedKey } from './generate-key';

export type KeyStatus = 'next' | 'current' | 'previous' | 'retired';
type Tx = Pick<PrismaClient, 'signingKey' | '$queryRaw' | '$executeRaw'>;

const keyEncryptionKey = () => deriveKey('signing-keys');

export function insertKey(tx: Tx, tenantId: string, key: GeneratedKey, status: KeyStatus) {
  const now = new Date();
  return tx.signingKey.create({
    data: {
      tenantId,
      kid: key.kid,
      alg: 'RS256',
      bits: key.bits,
      status,
      publicJwk: key.publicJwk,
      // The kid is the associated data: a ciphertext moved to another row will not decrypt.
      privateKeyEnc: encryptSecret(key.privatePkcs8Pem, keyEncryptionKey(), key.kid),
      activatedAt: status === 'current' ? now : null,
    },
  });
}

/** Private JWK for oidc-provider's keystore, decrypted in memory only. */
export function decryptPrivateJwk(row: { kid: string; privateKeyEnc: string }) {
  const pem = decryptSecret(row.privateKeyEnc, keyEncryptionKey(), row.kid);
  const jwk = crypto.createPrivateKey(pem).export({ format: 'jwk' });
  return { ...jwk, kid: row.kid, alg: 'RS256', use: 'sig' } as crypto.JsonWebKey & { kid: string; alg: string; use: string };
}

/** Keys that must be published: next, current, and previous keys whose tokens may live on. */
export function publishedKeys(db: Pick<PrismaClient, 'signingKey'>, tenantId: string, now = new Date()) {
  return db.signingKey.findMany({
    where: {
      tenantId,
      OR: [{ status: { in: ['current', 'next'] } }, { status: 'previous', retireAfter: { gt: now } }],
    },
    orderBy: { createdAt: 'desc' },
  });
}

import crypto from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPair = promisify(crypto.generateKeyPair);

export interface GeneratedKey {
  kid: string;
  bits: number;
  publicJwk: { kty: 'RSA'; n: string; e: string; kid: string; alg: 'RS256'; use: 'sig' };
  privatePkcs8Pem: string;
}

/** RFC 7638 JWK thumbprint: a kid derived from the key itself, stable and collision-free. */
export function jwkThumbprint(jwk: { e: string; kty: string; n: string }): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

export async function generateRsaSigningKey(bits: number): Promise<GeneratedKey> {
  if (bits < 2048) throw new Error('RSA signing keys must be at least 2048 bits');
  const { publicKey, privateKey } = await generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const kid = jwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e });
  return {
    kid,
    bits,
    publicJwk: { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' },
    privatePkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  };
}

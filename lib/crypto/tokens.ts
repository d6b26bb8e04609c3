import crypto from 'node:crypto';

/** A high-entropy random secret (256 bits), URL-safe. */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

const IDENTIFIER_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random public identifier (client ids): 25 lower-case letters and digits, about 129 bits.
 * No `-` or `_`, so it never looks like a command-line option, survives double-click
 * selection and reads unambiguously over the phone.
 */
export function randomIdentifier(length = 25): string {
  let id = '';
  for (let i = 0; i < length; i++) id += IDENTIFIER_ALPHABET[crypto.randomInt(IDENTIFIER_ALPHABET.length)];
  return id;
}

/**
 * Hash for high-entropy machine secrets (client secrets, API tokens). They carry 256 bits of
 * entropy, so a fast keyed hash is safe and keeps the token endpoint fast; Argon2 is for
 * human passwords. The key is a master-key subkey, so a stolen table alone cannot be checked.
 */
export function hashSecret(secret: string, key: Buffer): string {
  return 'hmac-sha256$' + crypto.createHmac('sha256', key).update(secret).digest('base64url');
}

export function verifySecret(secret: string, stored: string, key: Buffer): boolean {
  const expected = Buffer.from(hashSecret(secret, key));
  const actual = Buffer.from(stored);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

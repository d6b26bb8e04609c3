import crypto from 'node:crypto';

/**
 * AES-256-GCM envelope: "v1.<iv>.<tag>.<ciphertext>" (base64url). The associated data binds a
 * ciphertext to its row (e.g. the key id), so a value copied to another row fails to decrypt.
 */
const VERSION = 'v1';

export function encryptSecret(plaintext: Buffer | string, key: Buffer, associatedData = ''): string {
  if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptSecret(envelope: string, key: Buffer, associatedData = ''): Buffer {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('unrecognised secret envelope');
  const [, iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url'));
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

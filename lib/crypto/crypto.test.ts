import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './envelope';
import { hashSecret, randomIdentifier, verifySecret } from './tokens';

const key = crypto.randomBytes(32);

describe('secret envelope (AES-256-GCM)', () => {
  it('round-trips and never contains the plaintext', () => {
    const envelope = encryptSecret('-----BEGIN PRIVATE KEY-----abc', key, 'kid-1');
    expect(envelope).toMatch(/^v1\./);
    expect(envelope).not.toContain('PRIVATE');
    expect(decryptSecret(envelope, key, 'kid-1').toString()).toBe('-----BEGIN PRIVATE KEY-----abc');
  });

  it('uses a fresh IV every time', () => {
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key));
  });

  it('refuses a wrong key, a wrong binding and any tampering', () => {
    const envelope = encryptSecret('secret', key, 'kid-1');
    expect(() => decryptSecret(envelope, crypto.randomBytes(32), 'kid-1')).toThrow();
    expect(() => decryptSecret(envelope, key, 'kid-2')).toThrow();
    const parts = envelope.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    parts[3] = body.toString('base64url');
    expect(() => decryptSecret(parts.join('.'), key, 'kid-1')).toThrow();
    expect(() => decryptSecret('v2.a.b.c', key)).toThrow(/unrecognised/);
  });
});

describe('machine secret hashing', () => {
  it('verifies the right secret only, under the right key', () => {
    const stored = hashSecret('s3cret', key);
    expect(stored).not.toContain('s3cret');
    expect(verifySecret('s3cret', stored, key)).toBe(true);
    expect(verifySecret('s3cret!', stored, key)).toBe(false);
    expect(verifySecret('s3cret', stored, crypto.randomBytes(32))).toBe(false);
  });
});

describe('public identifiers', () => {
  it('are lower-case alphanumeric, never option-like, and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, () => randomIdentifier());
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{25}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { PASSWORD_HASH_PARAMS, hashPassword, needsRehash, verifyAgainstDecoy, verifyPassword } from './index';

describe('password hashing', () => {
  it('hashes with Argon2id at no less than OWASP minimum (19 MiB, t=2, p=1)', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(PASSWORD_HASH_PARAMS.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('flags hashes made with weaker or other parameters for upgrade', async () => {
    const weak = await hash('pw', { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const argon2i = await hash('pw', { algorithm: 1, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(argon2i)).toBe(true);
    expect(needsRehash('$2b$10$bcrypt-looking')).toBe(true);
    expect(needsRehash(await hashPassword('pw'))).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch, not a crash', async () => {
    expect(await verifyPassword('not-a-hash', 'pw')).toBe(false);
  });

  it('spends comparable time on the decoy as on a real mismatch (no enumeration by timing)', async () => {
    const stored = await hashPassword('secret-password');
    await verifyAgainstDecoy('warm-up');
    // Interleaved samples and medians, so load from other processes hits both sides alike.
    // Without the decoy, an unknown user would answer in microseconds: a ratio near zero.
    const real: number[] = [];
    const decoy: number[] = [];
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    for (let i = 0; i < 9; i++) {
      real.push(await time(() => verifyPassword(stored, 'wrong')));
      decoy.push(await time(() => verifyAgainstDecoy('wrong')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(decoy) / median(real);
    expect(ratio).toBeGreaterThan(0.33);
    expect(ratio).toBeLessThan(3);
  });
});

import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 exports Algorithm as a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

/**
 * The one place password-hashing parameters live. Argon2id at OWASP's minimum profile
 * (m=19 MiB, t=2, p=1; OWASP Password Storage Cheat Sheet). Raising them here upgrades every
 * stored hash at its owner's next successful login (see needsRehash).
 */
export const PASSWORD_HASH_PARAMS = Object.freeze({
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_PARAMS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false; // malformed hash: treat as a mismatch, never as a crash
  }
}

/** True when a stored hash was made with weaker (or different) parameters than today's. */
export function needsRehash(storedHash: string): boolean {
  const match = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return true;
  const [, variant, version, m, t, p] = match;
  return (
    variant !== 'argon2id' ||
    Number(version) !== 19 ||
    Number(m) < PASSWORD_HASH_PARAMS.memoryCost ||
    Number(t) < PASSWORD_HASH_PARAMS.timeCost ||
    Number(p) !== PASSWORD_HASH_PARAMS.parallelism
  );
}

// A real hash of a random password, verified against when the account does not exist so an
// unknown username costs the same time as a wrong password (no user enumeration by timing).
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await decoyHash, password);
  return false;
}

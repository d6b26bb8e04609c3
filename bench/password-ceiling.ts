/**
 * The ceiling that password hashing alone puts on complete sign-ins: each sign-in verifies one
 * password with Argon2id at the product's parameters (lib/passwords, OWASP's minimum), and that
 * CPU cannot be skipped or shared. Measured in this process while the servers are idle, so the
 * report can say how far the target is from what the machine allows at all.
 */
import os from 'node:os';
import { hashPassword, PASSWORD_HASH_PARAMS, verifyPassword } from '@/lib/passwords';

export interface PasswordCeiling {
  params: typeof PASSWORD_HASH_PARAMS;
  /** CPU time of one verification (median of the rounds), milliseconds. */
  verifyCpuMs: number;
  /** Sign-ins per second the machine's cores could complete if nothing but the verification cost CPU. */
  signInsPerSecondCeiling: number;
}

export async function measurePasswordCeiling(rounds = 5, perRound = 10): Promise<PasswordCeiling> {
  const password = 'bench-password-ceiling';
  const stored = await hashPassword(password);
  for (let i = 0; i < 3; i++) await verifyPassword(stored, password); // warm-up
  const perVerify: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Sequential verifications: process CPU (main thread + the hashing thread) over the round.
    const before = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      if (!(await verifyPassword(stored, password))) throw new Error('password ceiling: verification failed');
    }
    const used = process.cpuUsage(before);
    perVerify.push((used.user + used.system) / 1000 / perRound);
  }
  perVerify.sort((a, b) => a - b);
  const verifyCpuMs = perVerify[Math.floor(perVerify.length / 2)];
  return { params: PASSWORD_HASH_PARAMS, verifyCpuMs, signInsPerSecondCeiling: (os.availableParallelism() * 1000) / verifyCpuMs };
}

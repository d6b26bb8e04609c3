import crypto from 'node:crypto';
import { closeDatabase, openDatabase } from './open';

/**
 * For unit tests: an in-memory PGlite database with every migration applied, and a random
 * master key. Call before anything reads the configuration.
 */
export async function openMemoryDatabase() {
  process.env.MASTER_KEY ??= crypto.randomBytes(32).toString('base64');
  return openDatabase({ kind: 'pglite', dataDir: 'memory://' });
}

export { closeDatabase };

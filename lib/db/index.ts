import { getConfig } from '@/lib/config';
import type { Database, DatabaseTarget } from './connect';

export type { Database, DatabaseTarget } from './connect';
export { Prisma } from './generated/client';
export type { PrismaClient } from './generated/client';

// The custom server (tsx) and Next's bundled route code are separate module graphs in one
// process; the database handle lives on globalThis so both use the one connection/PGlite.
// It is opened (and migrated) by lib/db/open.ts, which only the server, CLI and tests import.
export const DATABASE_KEY = Symbol.for('iam.database');
export type WithDatabase = typeof globalThis & { [DATABASE_KEY]?: Promise<Database> };

export function targetFromConfig(): DatabaseTarget {
  const config = getConfig();
  return config.database.url ? { kind: 'postgres', url: config.database.url } : { kind: 'pglite', dataDir: config.dataDir };
}

export async function getDatabase(): Promise<Database> {
  const pending = (globalThis as WithDatabase)[DATABASE_KEY];
  if (!pending) throw new Error('the database has not been opened (call openDatabase from lib/db/open first)');
  return pending;
}

export async function getPrisma() {
  return (await getDatabase()).prisma;
}

import path from 'node:path';
import { getConfig } from '@/lib/config';
import { connectDatabase, type Database, type DatabaseTarget } from './connect';
import { applyMigrations } from './migrate';

export type { Database, DatabaseTarget } from './connect';
export { Prisma } from './generated/client';
export type { PrismaClient } from './generated/client';

// The custom server (tsx) and Next's bundled route code are separate module graphs in one
// process; the database handle lives on globalThis so both use the one connection/PGlite.
const KEY = Symbol.for('iam.database');
type WithDb = typeof globalThis & { [KEY]?: Promise<Database> };

export function targetFromConfig(): DatabaseTarget {
  const config = getConfig();
  return config.database.url
    ? { kind: 'postgres', url: config.database.url }
    : { kind: 'pglite', dataDir: config.dataDir };
}

/** Opens the database once per process, applying pending migrations first. */
export function openDatabase(target: DatabaseTarget = targetFromConfig()): Promise<Database> {
  const g = globalThis as WithDb;
  g[KEY] ??= (async () => {
    const db = await connectDatabase(target);
    await applyMigrations(db.runner);
    return db;
  })();
  g[KEY].catch(() => delete g[KEY]);
  return g[KEY];
}

export async function getPrisma() {
  return (await openDatabase()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as WithDb;
  const pending = g[KEY];
  delete g[KEY];
  if (pending) await (await pending).close();
}

export function defaultDataDir() {
  return path.resolve(getConfig().dataDir);
}

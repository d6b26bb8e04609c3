import { connectDatabase, type Database, type DatabaseTarget } from './connect';
import { DATABASE_KEY, targetFromConfig, type WithDatabase } from './index';
import { applyMigrations } from './migrate';
import { flushEvents } from '@/lib/audit';

/** Opens the database once per process, applying pending migrations first. */
export function openDatabase(target: DatabaseTarget = targetFromConfig()): Promise<Database> {
  const g = globalThis as WithDatabase;
  g[DATABASE_KEY] ??= (async () => {
    const db = await connectDatabase(target);
    await applyMigrations(db.runner);
    return db;
  })();
  g[DATABASE_KEY].catch(() => delete g[DATABASE_KEY]);
  return g[DATABASE_KEY];
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as WithDatabase;
  const pending = g[DATABASE_KEY];
  // Batched audit events still in memory go to the database before it closes.
  if (pending) await flushEvents();
  delete g[DATABASE_KEY];
  if (pending) await (await pending).close();
}

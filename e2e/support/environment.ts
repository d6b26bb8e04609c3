import crypto from 'node:crypto';
import { closeDatabase, openDatabase } from '@/lib/db/open';
import { createTestDatabase } from './database';
import { postgresUrl } from './env';
import { startServer, type RunningServer } from './server';

export interface TestEnvironment {
  databaseUrl: string;
  masterKey: string;
  server: RunningServer;
  /** Another instance on the same database; extraEnv may set a shared PUBLIC_ORIGIN. */
  startAnother(extraEnv?: Record<string, string>): Promise<RunningServer>;
  teardown(): Promise<void>;
}

/**
 * A fresh Postgres database, opened in this process for seeding (same MASTER_KEY as the
 * server, so secrets and keys agree), and the real server started on it.
 */
export async function setupServerEnvironment(extraEnv: Record<string, string> = {}): Promise<TestEnvironment> {
  const database = await createTestDatabase(postgresUrl!);
  const masterKey = crypto.randomBytes(32).toString('base64');
  process.env.DATABASE_URL = database.url;
  process.env.MASTER_KEY = masterKey;
  // A file may set up more than one environment: forget the previous one's cached settings.
  for (const name of ['iam.config', 'iam.masterKey', 'iam.oidc.registry', 'iam.ratelimit.policies', 'iam.ratelimit.limiters']) delete (globalThis as Record<symbol, unknown>)[Symbol.for(name)];
  await openDatabase({ kind: 'postgres', url: database.url });
  const env = { DATABASE_URL: database.url, MASTER_KEY: masterKey, ...extraEnv };
  const servers: RunningServer[] = [await startServer(env)];
  return {
    databaseUrl: database.url,
    masterKey,
    server: servers[0],
    async startAnother(extra = {}) {
      const server = await startServer({ ...env, ...extra });
      servers.push(server);
      return server;
    },
    async teardown() {
      await Promise.all(servers.map((s) => s.stop()));
      await closeDatabase();
      await database.drop();
    },
  };
}

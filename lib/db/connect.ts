import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { acquirePgliteLock } from './pglite-lock';
import type { SqlRunner } from './sql-runner';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string | 'memory://' };

export interface Database {
  kind: DatabaseTarget['kind'];
  prisma: PrismaClient;
  /** The node-postgres pool (Postgres only), for libraries that speak pg directly. */
  pgPool?: pg.Pool;
  runner: SqlRunner;
  close(): Promise<void>;
}

export async function connectDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? connectPostgres(target.url, target.poolSize) : connectPglite(target.dataDir);
}

async function connectPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const runner: SqlRunner = {
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
          close: async () => undefined,
        });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: async () => undefined,
  };
  return {
    kind: 'postgres',
    prisma,
    pgPool: pool,
    runner,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function connectPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const releaseLock = inMemory ? () => undefined : acquirePgliteLock(dataDir);
  const db = inMemory ? new PGlite() : new PGlite(path.join(dataDir, 'pgdata'));
  await db.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const runner: SqlRunner = {
    async exec(sql) {
      await db.exec(sql);
    },
    async query(sql, params) {
      return (await db.query(sql, params as unknown[])).rows as never[];
    },
    async transaction(fn) {
      await db.transaction(async (tx) => {
        await fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never[],
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
          close: async () => undefined,
        });
      });
    },
    close: async () => undefined,
  };
  return {
    kind: 'pglite',
    prisma,
    runner,
    async close() {
      await prisma.$disconnect();
      await db.close();
      releaseLock();
    },
  };
}

import { getDatabase } from './index';

/**
 * Plain parameterised SQL for the provider's hot path. On Postgres it goes straight to the
 * node-postgres pool (Prisma's query layers were over half the CPU of a refresh grant); on the
 * embedded database it goes through Prisma, which owns the single PGlite connection.
 */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params: unknown[]): Promise<T[]>;
  execute(text: string, params: unknown[]): Promise<number>;
}

export async function getSql(): Promise<SqlExecutor> {
  const db = await getDatabase();
  const pool = db.pgPool;
  if (pool) {
    return {
      query: async (text, params) => (await pool.query(text, params)).rows,
      execute: async (text, params) => (await pool.query(text, params)).rowCount ?? 0,
    };
  }
  return {
    query: (text, params) => db.prisma.$queryRawUnsafe(text, ...params),
    execute: (text, params) => db.prisma.$executeRawUnsafe(text, ...params),
  };
}

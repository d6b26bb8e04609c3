import crypto from 'node:crypto';
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

/**
 * Every statement runs as a named prepared statement: each pooled connection parses and plans
 * it once, then only binds and executes. Measured on the refresh grant's statements, that
 * halves Postgres CPU per grant (parse and plan of the upsert cost more than running it).
 * Behind PgBouncer in transaction mode this needs PgBouncer ≥ 1.21 (max_prepared_statements).
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `iam_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

export async function getSql(): Promise<SqlExecutor> {
  const db = await getDatabase();
  const pool = db.pgPool;
  if (pool) {
    return {
      query: async (text, params) => (await pool.query({ name: statementName(text), text, values: params })).rows,
      execute: async (text, params) => (await pool.query({ name: statementName(text), text, values: params })).rowCount ?? 0,
    };
  }
  return {
    query: (text, params) => db.prisma.$queryRawUnsafe(text, ...params),
    execute: (text, params) => db.prisma.$executeRawUnsafe(text, ...params),
  };
}

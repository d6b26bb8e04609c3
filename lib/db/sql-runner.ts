/** The few raw-SQL operations the migration runner needs, over PGlite or node-postgres. */
export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn on one connection inside BEGIN/COMMIT. */
  transaction(fn: (tx: SqlRunner) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

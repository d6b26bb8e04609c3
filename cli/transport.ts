import os from 'node:os';
import { getConfig } from '@/lib/config';
import { dataDirHolder, readOperatorOrigin, readOperatorToken } from '@/lib/operator';
import { CliError, EXIT, exitCodeFor } from './errors';

export interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export interface Transport {
  /** How the command reaches the data: the database itself, or the running server's admin API. */
  readonly kind: 'direct' | 'server';
  readonly description: string;
  /** Runs an admin API operation (by operationId). */
  call(operationId: string, input?: CallInput): Promise<unknown>;
  close(): Promise<void>;
}

export const operatorName = () => {
  try {
    return os.userInfo().username || 'operator';
  } catch {
    return 'operator';
  }
};

const USER_AGENT = 'iam-cli/1';
const definedQuery = (query: CallInput['query'] = {}) => Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));

/**
 * Direct: open the database in this process (applying migrations) and run the operation with
 * the local operator as principal, through the same permission checks, validation and audit
 * events as the API. On PGlite the data directory's lockfile is taken first, so a server that
 * starts meanwhile is refused rather than sharing it.
 */
async function directTransport(description: string): Promise<Transport> {
  const [{ openDatabase, closeDatabase }, { flushEvents }, { operatorPrincipal }, { getOperation, runOperation, toErrorResponse }] = await Promise.all([
    import('@/lib/db/open'),
    import('@/lib/audit'),
    import('@/lib/authz'),
    import('@/lib/admin-api'),
  ]);
  try {
    await openDatabase();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), EXIT.unreachable);
  }
  const principal = operatorPrincipal(operatorName());
  return {
    kind: 'direct',
    description,
    async call(operationId, input = {}) {
      try {
        const result = await runOperation(getOperation(operationId), principal, { ip: null, userAgent: USER_AGENT }, {
          params: input.params ?? {},
          query: definedQuery(input.query),
          readBody: async () => input.body ?? {},
        });
        // The same JSON the API would send (dates as strings).
        return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
      } catch (error) {
        const { status, body } = toErrorResponse(error);
        // The operator is on this machine: an unexpected error is shown, not hidden.
        const message = status === 500 && error instanceof Error ? error.message : body.error.message;
        throw new CliError(message, exitCodeFor(body.error.code), body.error.code);
      }
    },
    async close() {
      await flushEvents();
      await closeDatabase();
    },
  };
}

/** Server: the admin API on loopback, authenticated with the operator token the server wrote. */
function serverTransport(origin: string, token: string, pid: number): Transport {
  return {
    kind: 'server',
    description: `through the running server (pid ${pid}) at ${origin}`,
    async call(operationId, input = {}) {
      const { API_BASE_PATH, getOperation } = await import('@/lib/admin-api');
      const op = getOperation(operationId);
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.params?.[name] ?? ''));
      const query = new URLSearchParams(definedQuery(input.query)).toString();
      let response: Response;
      try {
        response = await fetch(`${origin}${API_BASE_PATH}${path}${query ? `?${query}` : ''}`, {
          method: op.method,
          headers: {
            authorization: `Bearer ${token}`,
            'x-iam-operator': operatorName(),
            'user-agent': USER_AGENT,
            ...(op.body ? { 'content-type': 'application/json' } : {}),
          },
          body: op.body ? JSON.stringify(input.body ?? {}) : undefined,
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        // The lock holder may be another iam command working on the data directory itself.
        throw new CliError(`process ${pid} holds the embedded database but no server answers at ${origin} (${String((error as Error).cause ?? (error as Error).message)}); if it is another iam command, try again when it has finished`, EXIT.unreachable);
      }
      if (response.status === 204) return undefined;
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new CliError(`unexpected ${response.status} response from ${origin}`, EXIT.failure);
      }
      if (!response.ok) {
        const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new CliError(error?.message ?? `HTTP ${response.status}`, exitCodeFor(error?.code), error?.code);
      }
      return body;
    },
    async close() {},
  };
}

/**
 * Picks the transport. With DATABASE_URL: open Postgres directly (any number of processes may).
 * On the embedded database: PGlite is single-process, so when a live process holds the data
 * directory (DATA_DIR/pglite.lock) the command goes through that server's admin API on
 * loopback; otherwise the CLI opens the data directory itself, under the same lock.
 */
export async function openTransport(): Promise<Transport> {
  const config = getConfig();
  if (config.database.url) return directTransport('on the database at DATABASE_URL');
  const holder = dataDirHolder(config.dataDir);
  if (holder === null) return directTransport(`on the embedded database in ${config.dataDir}`);
  const token = readOperatorToken();
  if (!token) {
    throw new CliError(`the embedded database in ${config.dataDir} is in use by process ${holder}, which wrote no operator token (${config.dataDir}/operator.token); restart the server, or stop that process`, EXIT.unreachable);
  }
  return serverTransport(readOperatorOrigin() ?? config.server.internalOrigin, token, holder);
}

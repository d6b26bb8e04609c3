/**
 * Imported first by the CLI, before any library module: stdout is for the command's output
 * (a --json result must parse), so the server's JSON log lines are off unless IAM_CLI_LOG_LEVEL
 * asks for them, and oidc-provider's import-time "use Node 22" notice (harmless on Node 20, see
 * ARCHITECTURE.md) is not repeated on every command.
 */
process.env.LOG_LEVEL = process.env.IAM_CLI_LOG_LEVEL ?? 'silent';

const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
  warn(...args);
};

import pino, { type Logger } from 'pino';
import { getConfig } from '@/lib/config';

const KEY = Symbol.for('iam.logger');
type WithLogger = typeof globalThis & { [KEY]?: Logger };

// Field names that must never reach a log line, wherever they appear.
const REDACT = [
  'password', '*.password', 'secret', '*.secret', 'client_secret', '*.client_secret',
  'token', '*.token', 'code', '*.code', 'authorization', '*.authorization', 'cookie', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie',
];

/** JSON lines to stdout (pino), one process-wide logger. */
export function getLogger(): Logger {
  const g = globalThis as WithLogger;
  g[KEY] ??= pino({
    level: getConfig().logLevel,
    base: { service: 'iam' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
  return g[KEY];
}

import path from 'node:path';
import { envSchema } from './schema';

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function buildConfig(env: Record<string, string | undefined>) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  const tlsEnabled = Boolean(e.TLS_CERT_FILE && e.TLS_KEY_FILE);
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError('Invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  const defaultOrigin = `${tlsEnabled ? 'https' : 'http'}://localhost:${e.PORT}`;
  const publicOrigin = (e.PUBLIC_ORIGIN ?? defaultOrigin).replace(/\/+$/, '');
  let originUrl: URL;
  try {
    originUrl = new URL(publicOrigin);
  } catch {
    throw new ConfigError(`Invalid configuration: PUBLIC_ORIGIN must be an absolute URL (got "${publicOrigin}")`);
  }
  if (originUrl.pathname !== '/' || originUrl.search || originUrl.hash) {
    throw new ConfigError('Invalid configuration: PUBLIC_ORIGIN must be an origin without path, query or fragment');
  }
  // OAuth 2.0 Security BCP: plain http is only tolerable on loopback.
  if (originUrl.protocol !== 'https:' && !(originUrl.protocol === 'http:' && LOOPBACK_HOSTS.has(originUrl.hostname))) {
    throw new ConfigError('Invalid configuration: PUBLIC_ORIGIN must use https unless it is a loopback address');
  }

  return Object.freeze({
    features: Object.freeze({
      mfa: e.MFA_ENABLED,
      threatIntel: e.THREAT_INTEL_ENABLED,
      securityLogging: e.SECURITY_LOGGING_ENABLED,
      prometheusMetrics: e.PROMETHEUS_METRICS_ENABLED,
    }),
    crypto: Object.freeze({
      rsaKeySize: e.RSA_KEY_SIZE,
      keyRotationDays: e.KEY_ROTATION_DAYS,
      masterKeyBase64: e.MASTER_KEY,
    }),
    tokens: Object.freeze({ accessTokenTtlSeconds: e.TOKEN_EXPIRY_SECONDS }),
    rateLimit: Object.freeze({ perMinute: e.RATE_LIMIT_PER_MINUTE, enabled: e.RATE_LIMIT_ENABLED }),
    threatFeeds: Object.freeze({ allowPrivateNetworks: e.THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS }),
    redisUrl: e.REDIS_URL,
    database: Object.freeze({
      url: e.DATABASE_URL,
      kind: e.DATABASE_URL ? ('postgres' as const) : ('pglite' as const),
    }),
    dataDir: path.resolve(/*turbopackIgnore: true*/ e.DATA_DIR ?? '.data'),
    server: Object.freeze({
      port: e.PORT,
      host: e.HOST ?? '127.0.0.1',
      publicOrigin: originUrl.origin,
      trustedProxies: e.TRUSTED_PROXIES ?? '',
      internalOrigin: (e.INTERNAL_ORIGIN ?? `${tlsEnabled ? 'https' : 'http'}://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
      tls: tlsEnabled ? Object.freeze({ certFile: e.TLS_CERT_FILE!, keyFile: e.TLS_KEY_FILE! }) : undefined,
    }),
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
  });
}

/** Validates an environment; throws ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return buildConfig(env);
}

const CACHE = Symbol.for('iam.config');
type WithConfig = typeof globalThis & { [CACHE]?: Config };

/** The process-wide configuration, read once from process.env. */
export function getConfig(): Config {
  const g = globalThis as WithConfig;
  g[CACHE] ??= loadConfig(process.env);
  return g[CACHE];
}

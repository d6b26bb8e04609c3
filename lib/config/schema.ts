import { z } from 'zod';

/**
 * Every setting the product reads from the environment, with safe defaults.
 * The seed brief's variables (MFA_ENABLED … RATE_LIMIT_PER_MINUTE) keep their names.
 */

const booleanFlag = (defaultValue: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return defaultValue;
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false (got "${value}")` });
      return z.NEVER;
    });

const integer = (defaultValue: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return defaultValue;
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number (got "${value}")` });
        return z.NEVER;
      }
      const parsed = Number(value);
      if (parsed < min || parsed > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max} (got ${parsed})` });
        return z.NEVER;
      }
      return parsed;
    });

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

export const envSchema = z.object({
  MFA_ENABLED: booleanFlag(true),
  THREAT_INTEL_ENABLED: booleanFlag(true),
  SECURITY_LOGGING_ENABLED: booleanFlag(true),
  PROMETHEUS_METRICS_ENABLED: booleanFlag(true),
  // NIST SP 800-57 / the brief: RSA below 2048 bits is refused outright.
  RSA_KEY_SIZE: integer(2048, 2048, 8192).refine((bits) => bits % 8 === 0, 'must be a multiple of 8'),
  TOKEN_EXPIRY_SECONDS: integer(3600, 60, 86_400),
  RATE_LIMIT_PER_MINUTE: integer(60, 1, 1_000_000),
  // Off only where an upstream proxy enforces limits (and for the bench's on/off comparison).
  RATE_LIMIT_ENABLED: booleanFlag(true),
  // Threat feeds are fetched from the internet only: a feed URL whose host is (or resolves to) a
  // loopback, private, link-local or other internal address is refused (SSRF), unless this is on
  // for a feed mirror inside your network.
  THREAT_FEEDS_ALLOW_PRIVATE_NETWORKS: booleanFlag(false),
  // Days a signing key stays current before the scheduled rotation promotes the next one.
  KEY_ROTATION_DAYS: integer(90, 1, 3650),

  DATABASE_URL: optionalString.refine(
    (url) => url === undefined || /^postgres(ql)?:\/\//.test(url),
    'must be a postgres:// or postgresql:// URL',
  ),
  DATA_DIR: optionalString,
  PORT: integer(3000, 1, 65_535),
  HOST: optionalString,
  PUBLIC_ORIGIN: optionalString,
  // Comma-separated proxies (IPs or CIDRs) whose X-Forwarded-For is believed.
  TRUSTED_PROXIES: optionalString,
  REDIS_URL: optionalString.refine((url) => url === undefined || /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL'),
  // Where the server reaches itself (the console's back channel to its own issuer).
  INTERNAL_ORIGIN: optionalString,
  MASTER_KEY: optionalString.refine(
    (key) => key === undefined || Buffer.from(key, 'base64').length === 32,
    'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  ),
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  NODE_ENV: optionalString,
});

export type RawEnv = z.input<typeof envSchema>;

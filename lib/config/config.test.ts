import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index';

describe('configuration', () => {
  it('has safe defaults for every seed setting', () => {
    const config = loadConfig({});
    expect(config.features).toEqual({ mfa: true, threatIntel: true, securityLogging: true, prometheusMetrics: true });
    expect(config.crypto.rsaKeySize).toBe(2048);
    expect(config.tokens.accessTokenTtlSeconds).toBe(3600);
    expect(config.rateLimit.perMinute).toBe(60);
    expect(config.server.publicOrigin).toBe('http://localhost:3000');
    expect(config.database.kind).toBe('pglite');
  });

  it('reads the seed variables', () => {
    const config = loadConfig({ MFA_ENABLED: 'false', RSA_KEY_SIZE: '4096', TOKEN_EXPIRY_SECONDS: '900', RATE_LIMIT_PER_MINUTE: '120', PROMETHEUS_METRICS_ENABLED: '0', DATABASE_URL: 'postgres://u@h/db' });
    expect(config.features.mfa).toBe(false);
    expect(config.features.prometheusMetrics).toBe(false);
    expect(config.crypto.rsaKeySize).toBe(4096);
    expect(config.tokens.accessTokenTtlSeconds).toBe(900);
    expect(config.rateLimit.perMinute).toBe(120);
    expect(config.database.kind).toBe('postgres');
  });

  it.each([
    [{ RSA_KEY_SIZE: '1024' }, /^Invalid configuration: RSA_KEY_SIZE must be between 2048 and 8192 \(got 1024\)$/],
    [{ RSA_KEY_SIZE: 'big' }, /RSA_KEY_SIZE must be a whole number/],
    [{ MFA_ENABLED: 'maybe' }, /MFA_ENABLED must be true or false/],
    [{ TOKEN_EXPIRY_SECONDS: '0' }, /TOKEN_EXPIRY_SECONDS must be between 60 and 86400/],
    [{ RATE_LIMIT_PER_MINUTE: '-5' }, /RATE_LIMIT_PER_MINUTE must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ MASTER_KEY: 'c2hvcnQ=' }, /MASTER_KEY must be 32 bytes/],
    [{ PUBLIC_ORIGIN: 'http://idp.example.com' }, /PUBLIC_ORIGIN must use https unless it is a loopback address/],
    [{ PUBLIC_ORIGIN: 'https://idp.example.com/path' }, /PUBLIC_ORIGIN must be an origin without path/],
    [{ TLS_CERT_FILE: '/tmp/cert.pem' }, /TLS_CERT_FILE and TLS_KEY_FILE must be set together/],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts an https public origin', () => {
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://idp.example.com/' }).server.publicOrigin).toBe('https://idp.example.com');
  });
});

/**
 * The baseline: a bare oidc-provider 9 with its in-memory default adapter, configured to do the
 * same token work as the product, in a process of its own (the bench starts it on another port).
 *
 * - client credentials: one `machine` client (client_secret_basic), features.clientCredentials,
 *   resource indicators with a default resource whose tokens are RS256 JWT access tokens
 *   (accessTokenFormat 'jwt'), TTL 3600, signed with a 2048-bit RSA key.
 * - refresh: one `web` client (code + refresh_token, client_secret_basic), rotateRefreshToken on,
 *   refresh tokens obtained through the built-in devInteractions (login + consent), so the
 *   refresh grant does the same work as ours: rotate, opaque access token, RS256 ID token.
 *
 * Environment: PORT, BENCH_MACHINE_SECRET, BENCH_WEB_SECRET, BENCH_REDIRECT_URI, BENCH_TTL.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import Provider, { errors, type Configuration } from 'oidc-provider';

const port = Number(process.env.PORT);
const ttl = Number(process.env.BENCH_TTL ?? 3600);
const issuer = `http://localhost:${port}`;
const apiResource = `${issuer}/api`;
const API_SCOPES = 'api:read api:write';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };

const configuration: Configuration = {
  clients: [
    {
      client_id: 'machine',
      client_secret: process.env.BENCH_MACHINE_SECRET!,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: 'web',
      client_secret: process.env.BENCH_WEB_SECRET!,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [process.env.BENCH_REDIRECT_URI!],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [jwk as never] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64')] },
  scopes: ['openid', 'offline_access', ...API_SCOPES.split(' ')],
  responseTypes: ['code'],
  ttl: {
    AccessToken: ttl,
    ClientCredentials: ttl,
    IdToken: ttl,
    AuthorizationCode: 60,
    Interaction: 3600,
    Session: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
    RefreshToken: 14 * 24 * 3600,
  },
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      async defaultResource(ctx) {
        return ctx.oidc.params?.grant_type === 'client_credentials' ? apiResource : undefined;
      },
      async useGrantedResource() {
        return true;
      },
      async getResourceServerInfo(_ctx, resourceIndicator) {
        if (resourceIndicator !== apiResource) throw new errors.InvalidTarget();
        return { scope: API_SCOPES, audience: apiResource, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
};

const provider = new Provider(issuer, configuration);
const server = http.createServer(provider.callback());
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log(`bare oidc-provider listening on ${issuer}`));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

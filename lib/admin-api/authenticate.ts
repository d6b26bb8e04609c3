import * as jose from 'jose';
import { loadGrants, operatorPrincipal, type Principal } from '@/lib/authz';
import { getClientOrThrow } from '@/lib/clients';
import { getPrisma } from '@/lib/db';
import { loadSigningKeyset } from '@/lib/keys';
import { API_SCOPES, defaultApiResource, issuerFor } from '@/lib/oidc';
import { verifyOperatorToken } from '@/lib/operator';
import { findAdminTenant } from '@/lib/tenants';
import { CLIENT_IP_HEADER } from '@/lib/http/request-meta';
import { BearerError } from './errors';

/** Header the CLI sends with the operator token: who runs it, for the audit log. */
export const OPERATOR_NAME_HEADER = 'x-iam-operator';

const KEYS_TTL_MS = 5_000;
const CACHE = Symbol.for('iam.adminApi.verifier');

interface Verifier {
  loadedAt: number;
  adminTenantId: string;
  issuer: string;
  audience: string;
  jwks: ReturnType<typeof jose.createLocalJWKSet>;
}
type WithVerifier = typeof globalThis & { [CACHE]?: { current?: Verifier; pending?: Promise<Verifier> } };

/**
 * The admin tenant's published keys (next, current, previous), public members only, re-read at
 * most every 5 s: a rotation is seen within seconds and previous keys keep verifying the tokens
 * they signed.
 */
async function verifier(): Promise<Verifier> {
  const g = globalThis as WithVerifier;
  const state = (g[CACHE] ??= {});
  if (state.current && Date.now() - state.current.loadedAt < KEYS_TTL_MS) return state.current;
  state.pending ??= (async () => {
    try {
      const tenant = await findAdminTenant();
      if (!tenant) throw new Error('the admin tenant does not exist');
      const { keys } = await loadSigningKeyset(await getPrisma(), tenant.id);
      // The keyset holds private parts: keep only what verifies.
      const publicKeys = keys.map(({ kty, n, e, kid, alg }) => ({ kty, n, e, kid, alg }) as jose.JWK);
      state.current = {
        loadedAt: Date.now(),
        adminTenantId: tenant.id,
        issuer: issuerFor(tenant.slug),
        audience: defaultApiResource(tenant.slug),
        jwks: jose.createLocalJWKSet({ keys: publicKeys }),
      };
      return state.current;
    } finally {
      state.pending = undefined;
    }
  })();
  return state.pending;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
export const isLoopback = (ip: string | null | undefined) => Boolean(ip && LOOPBACK.test(ip));

const operatorName = (value: string | null) => (value && /^[A-Za-z0-9._@-]{1,64}$/.test(value) ? value : 'operator');

const invalid = (description: string) => new BearerError(401, 'invalid_token', description);

/**
 * Who is calling (RFC 6750 bearer token): an access token of the admin tenant's API resource
 * (RFC 9068 JWT, RS256, from a client credentials grant of one of its machine clients), whose
 * client's role bindings give the rights; or, from a loopback address only, the local operator
 * token of the admin CLI.
 */
export async function authenticate(request: Request): Promise<Principal> {
  const header = request.headers.get('authorization');
  if (!header) throw new BearerError(401, undefined, 'a bearer token is required (client credentials from the admin tenant)');
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match) throw invalid('the Authorization header must be "Bearer <token>"');
  const token = match[1];

  if (token.split('.').length !== 3) {
    const ip = request.headers.get(CLIENT_IP_HEADER);
    if (isLoopback(ip) && verifyOperatorToken(token)) return operatorPrincipal(operatorName(request.headers.get(OPERATOR_NAME_HEADER)));
    throw invalid('the token is not valid');
  }

  const v = await verifier();
  let payload: jose.JWTPayload;
  try {
    ({ payload } = await jose.jwtVerify(token, v.jwks, {
      issuer: v.issuer,
      audience: v.audience,
      // RFC 9068 §4: the typ header must be at+jwt, so an ID token or other JWT is not accepted.
      typ: 'at+jwt',
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'client_id'],
    }));
  } catch (error) {
    if (error instanceof jose.errors.JWTExpired) throw invalid('the token has expired');
    if (error instanceof jose.errors.JWTClaimValidationFailed) throw invalid(`the token is not for this API (${error.claim})`);
    throw invalid('the token is not valid');
  }

  const clientId = typeof payload.client_id === 'string' ? payload.client_id : '';
  let client;
  try {
    client = await getClientOrThrow(v.adminTenantId, clientId);
  } catch {
    throw invalid('the client no longer exists');
  }
  if (client.disabled) throw invalid('the client is disabled');

  const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
  const [read, write] = API_SCOPES.split(' ');
  if (!scopes.has(read) && !scopes.has(write)) throw new BearerError(403, 'insufficient_scope', `the token needs scope ${read} (reads) or ${write} (changes)`, API_SCOPES, client.clientId);
  return {
    kind: 'client',
    id: client.clientId,
    name: client.name,
    grants: await loadGrants({ clientId: client.clientId }),
    readOnly: !scopes.has(write),
  };
}

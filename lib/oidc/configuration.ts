import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors, interactionPolicy } from 'oidc-provider';
import { ACR_MFA, ACR_PASSWORD, clientRequestsMfa, findConfirmedTotp, mfaOffered, mfaRequirementFor } from '@/lib/mfa';
import { getConfig } from '@/lib/config';
import { deriveKey } from '@/lib/crypto';
import { findAccountClaims } from '@/lib/users';
import type { TenantSettings } from '@/lib/tenants';
import { createAdapterClass } from './adapter';
import { errorPage, escapeHtml, page } from './html';

export interface TenantContext {
  id: string;
  slug: string;
  displayName: string;
  isAdmin: boolean;
  settings: TenantSettings;
}

/**
 * The default prompts plus one login check: a session that signed in with a password alone is
 * sent back through login (for the second factor only) when the client asks for MFA with
 * acr_values, or when the user must or does use MFA. A step-up within the existing session.
 */
function interactionsPolicy(tenant: TenantContext) {
  const { base, Check, Prompt } = interactionPolicy;
  const policy = base();
  // prompt=select_account (OIDC Core §3.1.2.1): the sign-in form, where the user picks the account
  // by signing in with it (lib/oidc/interactions.ts); with prompt=none it is account_selection_required.
  policy.unshift(new Prompt({ name: 'select_account', requestable: true }));
  // A session whose account has since been disabled or deleted (findAccount finds nobody): sign in
  // again, or login_required with prompt=none. oidc-provider would otherwise go on to the consent
  // checks without an account or a grant, and fail with a 500.
  policy.get('login')!.checks.add(
    new Check('account_unavailable', 'the signed-in account is no longer available', 'login_required', (ctx) =>
      ctx.oidc.session?.accountId && !ctx.oidc.account ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
    ),
  );
  policy.get('login')!.checks.add(
    new Check('mfa_required', 'a second authentication factor is required', 'login_required', async (ctx) => {
      const { session, params, result } = ctx.oidc;
      const accountId = session?.accountId;
      if (!accountId || result?.login || session?.acr === ACR_MFA) return Check.NO_NEED_TO_PROMPT;
      const requirement = await mfaRequirementFor(tenant, accountId);
      // MFA switched off (MFA_ENABLED=false or the tenant's policy): nothing to step up to.
      if (requirement === 'off') return Check.NO_NEED_TO_PROMPT;
      if (clientRequestsMfa(params)) return Check.REQUEST_PROMPT;
      if (requirement === 'required') return Check.REQUEST_PROMPT;
      if (requirement === 'optional' && (await findConfirmedTotp(accountId))) return Check.REQUEST_PROMPT;
      return Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export const issuerFor = (slug: string) => `${getConfig().server.publicOrigin}/t/${slug}`;
/** RFC 8707 resource indicator of the tenant's default API: its tokens are RS256 JWTs. */
export const defaultApiResource = (slug: string) => `${issuerFor(slug)}/api`;
export const API_SCOPES = 'api:read api:write';
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
const KNOWN_SCOPES: ReadonlySet<string> = new Set(['openid', 'offline_access', 'profile', 'email', ...API_SCOPES.split(' ')]);

/**
 * oidc-provider configuration for one tenant. Every choice is deliberate; the comments cite why.
 */
export function buildProviderConfiguration(tenant: TenantContext, keys: object[]): Configuration {
  const config = getConfig();
  const tokenTtl = tenant.settings.accessTokenTtlSeconds ?? config.tokens.accessTokenTtlSeconds;
  const refreshTtl = (tenant.settings.refreshTokenTtlDays ?? 14) * 24 * 3600;
  const apiResource = defaultApiResource(tenant.slug);

  return {
    adapter: createAdapterClass(tenant),
    // Grant types the tenant allows; a client's own list is narrowed to these (see adapter).
    // No static clients: every tenant's clients come from the database through the adapter.
    clients: [],
    jwks: { keys: keys as never },
    async findAccount(_ctx, sub) {
      const claims = await findAccountClaims(tenant.id, sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => claims };
    },
    // Cookie signing keys are derived from the master key, so every instance agrees on them.
    // The session cookie is scoped to the tenant's path, so signing in to one tenant never
    // displaces the session of another in the same browser.
    cookies: {
      keys: [deriveKey('oidc-cookies').toString('base64')],
      long: { signed: true, httpOnly: true, sameSite: 'lax', path: `/t/${tenant.slug}` },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    // ACR values (OIDC Core §2): password only, or password plus a second factor where this
    // tenant offers one (Discovery §3 lists what it supports; the provider is rebuilt when the
    // tenant's settings change).
    acrValues: mfaOffered(tenant) ? [ACR_PASSWORD, ACR_MFA] : [ACR_PASSWORD],
    // acr/amr/auth_time describe the authentication (OIDC Core §2). oidc-provider masks ID token
    // claims by scope, so they ride on `openid`; account claims never contain them, so userinfo
    // is unaffected.
    claims: {
      acr: null,
      amr: null,
      auth_time: null,
      sid: null,
      iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'preferred_username', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    scopes: [...KNOWN_SCOPES],
    // RFC 6749 §3.3: an authorization request that omits scope, or names none this provider knows,
    // gets invalid_scope at once (a redirect to the client, with state). Left alone, it would ask
    // the user to sign in and only then end in access_denied ("no scope was granted").
    extraParams: {
      async scope(ctx, value) {
        if (ctx.oidc.route !== 'authorization' && ctx.oidc.route !== 'pushed_authorization_request') return;
        const requested = typeof value === 'string' ? value.split(' ') : [];
        if (!requested.some((scope) => KNOWN_SCOPES.has(scope))) {
          throw new errors.InvalidScope(value ? 'none of the requested scopes is supported' : 'scope is required (openid for OpenID Connect)', value as string); // undefined when absent: no scope in the error
        }
      },
    },
    // Only the authorization code flow: implicit and hybrid are deprecated (OAuth 2.0 Security BCP §2.1.2).
    responseTypes: ['code'],
    // PKCE (RFC 7636): mandatory for public clients; oidc-provider only implements S256, so `plain` is refused.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // What a client can be registered for (lib/clients/client-metadata.ts): a secret in HTTP
    // Basic or in the form body, or none (public clients, PKCE). client_secret_jwt is left out:
    // our secrets are stored hashed and cannot be HMAC keys; private_key_jwt until clients can
    // register their keys (discovery must not advertise what no client can use).
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'],
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'RS256',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    ttl: {
      AccessToken: tokenTtl,
      ClientCredentials: tokenTtl,
      IdToken: tokenTtl,
      AuthorizationCode: 60, // RFC 6749 §4.1.2 recommends at most 10 minutes; one is plenty.
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: refreshTtl,
      RefreshToken: refreshTtl,
    },
    // Refresh token rotation; the provider revokes the grant when a rotated token is reused
    // (OAuth 2.0 Security BCP §4.14.2).
    rotateRefreshToken: true,
    // redirect_uri is REQUIRED in every authorization request (OIDC Core §3.1.2.1), even for a
    // client with a single registered URI.
    allowOmittingSingleRegisteredRedirectUri: false,
    features: {
      devInteractions: { enabled: false },
      // The claims request parameter (OIDC Core §5.5): individual claims for the ID token or
      // userinfo; the consent page lists claims that were not granted yet.
      claimsParameter: { enabled: true },
      // RFC 7662 §2.2/§4: a token is described only to the client it was issued to (as our JWT
      // access tokens are, lib/oidc/protocol-conformance.ts); to any other caller it is inactive,
      // so one application cannot learn another's users, scopes or token validity.
      introspection: {
        enabled: true,
        async allowedPolicy(ctx, _client, token) {
          return token.clientId === ctx.oidc.client?.clientId;
        },
      },
      // oidc-provider's default policy: another client's token is refused (RFC 7009 §2.1).
      revocation: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page(
            'Sign out',
            `<h1>Sign out of ${escapeHtml(tenant.displayName)}?</h1>${form}
<button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', `<h1>You are signed out</h1><p>You have been signed out of ${escapeHtml(tenant.displayName)}.</p>`);
        },
      },
      // Resource indicators (RFC 8707): tokens for an API are RS256 JWT access tokens
      // (RFC 9068); tokens for userinfo alone stay opaque, as userinfo refuses audience-bound tokens.
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
          return {
            scope: API_SCOPES,
            audience: apiResource,
            accessTokenTTL: tokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    // `first_party` marks our own applications (the console), which skip the consent screen.
    extraClientMetadata: { properties: ['first_party'] },
    async loadExistingGrant(ctx) {
      const { client, session, result } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? (client && session?.grantIdFor(client.clientId));
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (client && session?.accountId && (client as unknown as { first_party?: boolean }).first_party === true) {
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
        grant.addOIDCScope('openid profile email');
        await grant.save();
        return grant;
      }
      return undefined;
    },
    interactions: {
      policy: interactionsPolicy(tenant),
      url: (_ctx, interaction) => `/t/${tenant.slug}/interaction/${interaction.uid}`,
    },
    async renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
    discovery: {
      service_documentation: undefined,
      // Introspection and revocation authenticate clients as the token endpoint does; left out,
      // RFC 8414 §2 would have clients assume client_secret_basic only.
      introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    },
  };
}

import type { ClientKind, SecretAuthMethod } from './schemas';

/**
 * Sensible OIDC client metadata per application type:
 * - web: confidential, code + refresh, secret via HTTP Basic (or the form body when asked).
 * - spa / native: public (no secret), code + PKCE (enforced by the provider) + refresh.
 * - machine: confidential, client_credentials only.
 */
export function metadataForKind(kind: ClientKind, redirectUris: string[], postLogoutRedirectUris: string[], scope?: string, secretAuthMethod: SecretAuthMethod = 'client_secret_basic') {
  const common = {
    id_token_signed_response_alg: 'RS256',
    ...(scope ? { scope } : {}),
  };
  switch (kind) {
    case 'web':
      return { ...common, application_type: 'web', token_endpoint_auth_method: secretAuthMethod, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutRedirectUris };
    case 'spa':
      return { ...common, application_type: 'web', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutRedirectUris };
    case 'native':
      return { ...common, application_type: 'native', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: redirectUris, post_logout_redirect_uris: postLogoutRedirectUris };
    case 'machine':
      return { ...common, application_type: 'web', token_endpoint_auth_method: secretAuthMethod, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
  }
}

export const isConfidential = (kind: ClientKind) => kind === 'web' || kind === 'machine';

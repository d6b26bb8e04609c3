import { z } from 'zod';

export const clientKinds = ['web', 'spa', 'native', 'machine'] as const;
export type ClientKind = (typeof clientKinds)[number];

/** How a confidential client presents its secret at the token endpoint (RFC 6749 §2.3.1). */
export const secretAuthMethods = ['client_secret_basic', 'client_secret_post'] as const;
export type SecretAuthMethod = (typeof secretAuthMethods)[number];
const PUBLIC_KINDS: readonly ClientKind[] = ['spa', 'native'];

const authMethodIssue = (kind: ClientKind, method: string | undefined, ctx: z.RefinementCtx) => {
  if (method && PUBLIC_KINDS.includes(kind)) {
    ctx.addIssue({ code: 'custom', path: ['tokenEndpointAuthMethod'], message: 'public clients have no secret; they authenticate with PKCE alone' });
  }
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Redirect URI rules (RFC 6749 §3.1.2, OAuth 2.0 Security BCP §4.1, RFC 8252 for native apps):
 * absolute, no fragment, no wildcards; https, except http on loopback and, for native clients,
 * private-use schemes containing a dot (reverse domain names).
 */
export function redirectUriProblem(uri: string, kind: ClientKind): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (url.hash || uri.includes('#')) return 'must not contain a fragment';
  if (uri.includes('*')) return 'must not contain wildcards';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return LOOPBACK.has(url.hostname) ? null : 'must use https (http only on loopback)';
  if (kind === 'native' && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return null;
  return kind === 'native' ? 'must use https, loopback http, or a reverse-domain private-use scheme' : 'must use https';
}

const uriListIssues = (kind: ClientKind, field: string, list: string[] | undefined, ctx: z.RefinementCtx) => {
  list?.forEach((uri, index) => {
    const problem = redirectUriProblem(uri, kind);
    if (problem) ctx.addIssue({ code: 'custom', path: [field, index], message: `${uri} ${problem}` });
  });
};

/** What an administrator may register (console, admin API, CLI). */
const clientFields = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(clientKinds),
  redirectUris: z.array(z.string().trim().max(2000)).max(20).default([]),
  postLogoutRedirectUris: z.array(z.string().trim().max(2000)).max(20).default([]),
  scope: z.string().trim().max(1000).optional(),
  // Confidential clients only; HTTP Basic unless the application can only send the secret in the body.
  tokenEndpointAuthMethod: z.enum(secretAuthMethods).optional(),
});

function clientRules(value: z.output<typeof clientFields>, ctx: z.RefinementCtx) {
  authMethodIssue(value.kind, value.tokenEndpointAuthMethod, ctx);
  if (value.kind !== 'machine' && value.redirectUris.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'at least one redirect URI is required' });
  }
  if (value.kind === 'machine' && value.redirectUris.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'machine clients have no redirect URIs' });
  }
  uriListIssues(value.kind, 'redirectUris', value.redirectUris, ctx);
  uriListIssues(value.kind, 'postLogoutRedirectUris', value.postLogoutRedirectUris, ctx);
}

/** A client as administrators register it (the admin API's body, the console's form). */
export const registerClientSchema = clientFields.superRefine(clientRules);

/**
 * Plus what only the product's own setup and tests may set: a predictable client id, and
 * first-party status, which skips the consent screen (an administrator could otherwise register a
 * client that silently receives users' profiles).
 */
export const createClientSchema = clientFields
  .extend({
    clientId: z.string().regex(/^[A-Za-z0-9._~-]{8,128}$/).optional(),
    firstParty: z.boolean().optional(),
  })
  .superRefine(clientRules);
export type CreateClientInput = z.input<typeof createClientSchema>;

export const updateClientSchema = (kind: ClientKind) =>
  z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      redirectUris: z.array(z.string().trim().max(2000)).max(20).optional(),
      postLogoutRedirectUris: z.array(z.string().trim().max(2000)).max(20).optional(),
      tokenEndpointAuthMethod: z.enum(secretAuthMethods).optional(),
    })
    .superRefine((value, ctx) => {
      authMethodIssue(kind, value.tokenEndpointAuthMethod, ctx);
      if (kind !== 'machine' && value.redirectUris?.length === 0) ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'at least one redirect URI is required' });
      if (kind === 'machine' && value.redirectUris?.length) ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'machine clients have no redirect URIs' });
      uriListIssues(kind, 'redirectUris', value.redirectUris, ctx);
      uriListIssues(kind, 'postLogoutRedirectUris', value.postLogoutRedirectUris, ctx);
    });
export type UpdateClientInput = z.input<ReturnType<typeof updateClientSchema>>;

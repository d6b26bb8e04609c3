/** What each application type is for and what it gets by default (see lib/clients/client-metadata.ts). */
export const CLIENT_KIND_INFO = {
  web: {
    label: 'Web application',
    summary: 'A server-side app that can keep a secret.',
    details: 'Authorization code flow with refresh tokens; authenticates to the token endpoint with a client secret (HTTP Basic). Redirect URIs must use https (http only on localhost).',
    redirectPlaceholder: 'https://app.example.com/callback',
    logoutPlaceholder: 'https://app.example.com/',
  },
  spa: {
    label: 'Single-page app',
    summary: 'Runs in the browser; cannot keep a secret.',
    details: 'Authorization code flow with PKCE (required) and refresh tokens; no client secret. Redirect URIs must use https (http only on localhost).',
    redirectPlaceholder: 'https://spa.example.com/callback',
    logoutPlaceholder: 'https://spa.example.com/',
  },
  native: {
    label: 'Native app',
    summary: 'A mobile or desktop app.',
    details: 'Authorization code flow with PKCE (required); no client secret. Redirect to a loopback address or a private-use scheme such as com.example.app:/callback (RFC 8252).',
    redirectPlaceholder: 'com.example.app:/callback\nhttp://127.0.0.1/callback',
    logoutPlaceholder: 'com.example.app:/signed-out',
  },
  machine: {
    label: 'Machine to machine',
    summary: 'A service calling APIs on its own behalf.',
    details: 'Client credentials grant with a client secret; no users and no redirect URIs. Tokens are JWTs for the tenant API.',
    redirectPlaceholder: '',
    logoutPlaceholder: '',
  },
} as const;

export type ClientKindName = keyof typeof CLIENT_KIND_INFO;

import * as oidc from 'openid-client';
import { getConfig } from '@/lib/config';
import { issuerFor } from '@/lib/oidc';
import { ADMIN_TENANT_SLUG } from '@/lib/bootstrap/constants';
import { CONSOLE_CLIENT_ID, consoleClientSecret } from './console-client';

const KEY = Symbol.for('iam.console.rp');
type WithRp = typeof globalThis & { [KEY]?: { config: Promise<oidc.Configuration>; at: number } };
const CACHE_MS = 5 * 60 * 1000;

/**
 * The console's OIDC client configuration (openid-client, a certified RP), discovered from the
 * admin tenant's issuer. Back-channel calls go to the server's internal origin, so the console
 * works even where the public origin (a load balancer) is not reachable from the server itself.
 */
export function consoleRelyingParty(): Promise<oidc.Configuration> {
  const g = globalThis as WithRp;
  if (g[KEY] && Date.now() - g[KEY].at < CACHE_MS) return g[KEY].config;
  const { publicOrigin, internalOrigin } = getConfig().server;
  const internalFetch: oidc.CustomFetch = (url, options) => {
    const target = url.startsWith(publicOrigin) ? internalOrigin + url.slice(publicOrigin.length) : url;
    return fetch(target, options as RequestInit);
  };
  const config = oidc.discovery(new URL(issuerFor(ADMIN_TENANT_SLUG)), CONSOLE_CLIENT_ID, consoleClientSecret(), oidc.ClientSecretBasic(consoleClientSecret()), {
    [oidc.customFetch]: internalFetch,
    execute: internalOrigin.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
  }).then((c) => {
    c[oidc.customFetch] = internalFetch;
    return c;
  });
  g[KEY] = { config, at: Date.now() };
  config.catch(() => delete g[KEY]);
  return config;
}

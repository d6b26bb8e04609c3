import Provider from 'oidc-provider';
import { getPrisma } from '@/lib/db';
import { loadSigningKeyset, publishedKeys } from '@/lib/keys';
import { findTenantBySlug, type TenantRecord } from '@/lib/tenants';
import { findAccountClaims } from '@/lib/users';
import { buildProviderConfiguration, issuerFor } from './configuration';
import { attachProviderEvents } from './events';
import { useHashedClientSecrets } from './client-secrets';
import { chargeAuthenticatedClient } from './client-limits';
import { applyProtocolConformance } from './protocol-conformance';

/**
 * One oidc-provider instance per tenant (one issuer each), built lazily and cached. Every few
 * seconds a request re-reads the tenant and its published key ids; when another instance has
 * rotated keys (or disabled the tenant) the provider is rebuilt. The short lag is safe because
 * the next key is published before it signs and the previous key stays published after.
 */
const RECHECK_MS = 5_000;

interface Entry {
  tenant: TenantRecord;
  provider: Provider;
  /** The provider's Koa request handler, composed once (Koa recomposes on every callback() call). */
  handle: ReturnType<Provider['callback']>;
  keyVersion: string;
  checkedAt: number;
}

const KEY = Symbol.for('iam.oidc.registry');
type Registry = Map<string, Promise<Entry | null>>;
type WithRegistry = typeof globalThis & { [KEY]?: Registry };
const registry = (): Registry => ((globalThis as WithRegistry)[KEY] ??= new Map());

async function keyVersion(tenantId: string) {
  const prisma = await getPrisma();
  const rows = await publishedKeys(prisma, tenantId);
  return rows
    .sort((a, b) => a.kid.localeCompare(b.kid))
    .map((r) => `${r.kid}:${r.status}`)
    .join(',');
}

async function build(tenant: TenantRecord): Promise<Entry> {
  const prisma = await getPrisma();
  const keyset = await loadSigningKeyset(prisma, tenant.id);
  const provider = new Provider(issuerFor(tenant.slug), buildProviderConfiguration(tenant, keyset.keys));
  useHashedClientSecrets(provider, (clientId) => chargeAuthenticatedClient(tenant, clientId));
  applyProtocolConformance(
    provider,
    { keys: keyset.keys.map(({ kty, n, e, kid, alg }) => ({ kty: kty!, n, e, kid, alg })) },
    async (sub) => (await findAccountClaims(tenant.id, sub)) !== null,
  );
  attachProviderEvents(provider, tenant);
  // Endpoint URLs come from X-Forwarded-Host/Proto, which lib/server/oidc-mount.ts sets from
  // PUBLIC_ORIGIN on every request (never the client's).
  provider.proxy = true;
  return { tenant, provider, handle: provider.callback(), keyVersion: await keyVersion(tenant.id), checkedAt: Date.now() };
}

async function refresh(slug: string, previous: Entry | null): Promise<Entry | null> {
  const tenant = await findTenantBySlug(slug);
  if (!tenant) return null;
  // Rebuild when keys, name or settings changed (updatedAt moves with every tenant update).
  if (previous && previous.keyVersion === (await keyVersion(tenant.id)) && previous.tenant.updatedAt.getTime() === tenant.updatedAt.getTime()) {
    return { ...previous, tenant, checkedAt: Date.now() };
  }
  return build(tenant);
}

/** The tenant's provider, or null when no such tenant exists. Disabled tenants are returned flagged. */
export async function getTenantProvider(slug: string): Promise<Entry | null> {
  const map = registry();
  const cached = map.get(slug);
  if (cached) {
    const entry = await cached.catch(() => null);
    if (entry && Date.now() - entry.checkedAt < RECHECK_MS) return entry;
    if (map.get(slug) !== cached) return (await map.get(slug)) ?? null;
    const next = refresh(slug, entry);
    map.set(slug, next);
    next.catch(() => map.delete(slug));
    return next;
  }
  const pending = refresh(slug, null);
  map.set(slug, pending);
  pending.catch(() => map.delete(slug));
  // Unknown tenants are not cached, so probing random slugs cannot fill memory.
  const entry = await pending;
  if (!entry) map.delete(slug);
  return entry;
}

/** Forget cached providers (after a local rotation, or in tests). */
export function invalidateTenantProvider(slug?: string) {
  if (slug) registry().delete(slug);
  else registry().clear();
}

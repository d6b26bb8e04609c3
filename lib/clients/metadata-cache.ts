/**
 * A short-lived cache of client metadata for the token endpoint's hot path (one database round
 * trip per grant was a third of its CPU). Changes made on this instance invalidate at once;
 * other instances see them within CLIENT_CACHE_MS.
 */
export const CLIENT_CACHE_MS = 2_000;
const MAX_ENTRIES = 10_000;

type Entry = { at: number; value: Promise<Record<string, unknown> | undefined> };
const KEY = Symbol.for('iam.clients.metadataCache');
type WithCache = typeof globalThis & { [KEY]?: Map<string, Entry> };
const cache = (): Map<string, Entry> => ((globalThis as WithCache)[KEY] ??= new Map());

export function cachedClientMetadata(tenantId: string, clientId: string, load: () => Promise<Record<string, unknown> | undefined>) {
  const map = cache();
  const key = `${tenantId}:${clientId}`;
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.value;
  if (map.size >= MAX_ENTRIES) map.clear();
  const value = load();
  map.set(key, { at: Date.now(), value });
  value.catch(() => map.delete(key));
  return value;
}

export function invalidateClientMetadata(tenantId: string, clientId: string) {
  cache().delete(`${tenantId}:${clientId}`);
}

import { z } from 'zod';

export const pageQuerySchema = z.object({
  after: z.string().max(512).optional().describe('Cursor: the nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
});

const encode = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
const decode = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/**
 * Keyset pagination over a small, fully loaded list (tenants, a tenant's clients, role
 * bindings): items are ordered by a unique string key and a page starts strictly after the
 * cursor's key, so deleting the item a cursor points at skips nothing. Users and audit events,
 * which can be many, are paginated in the database by their services.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, after: string | undefined, limit: number) {
  const sorted = items.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const from = after === undefined ? sorted : sorted.filter(({ key }) => key > decode(after));
  const page = from.slice(0, limit);
  return { data: page.map(({ item }) => item), nextCursor: from.length > limit ? encode(page[page.length - 1].key) : null };
}

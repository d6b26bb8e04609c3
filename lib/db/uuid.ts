/**
 * Whether a value has the shape of our primary keys (a UUID). Ids from a URL or a form are
 * checked before they reach a query: Postgres refuses anything else in a uuid column, which
 * would surface as a 500 rather than the "not found" it is.
 */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_RE.test(value);

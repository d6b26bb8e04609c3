/**
 * U+0000 in request input. Postgres text and jsonb cannot hold it and refuse any statement that
 * carries one, so input holding it would fail deep inside a service as a 500. Each surface
 * refuses it at the door instead, with its own 4xx (the OAuth endpoints through the provider's
 * adapter, lib/oidc/adapter.ts).
 */
const holds = (text: string) => text.includes('\u0000');

export class NulCharacterError extends Error {
  constructor() {
    super('text must not contain the NUL character (U+0000)');
    this.name = 'NulCharacterError';
  }
}

/** JSON.parse that throws NulCharacterError when any key or string value holds U+0000. */
export function parseJsonRefusingNul(text: string): unknown {
  return JSON.parse(text, (key, value) => {
    if (holds(key) || (typeof value === 'string' && holds(value))) throw new NulCharacterError();
    return value;
  });
}

/** Whether any name or value of query or form parameters holds U+0000. */
export function paramsHoldNul(params: Iterable<[string, string]>): boolean {
  for (const [name, value] of params) if (holds(name) || holds(value)) return true;
  return false;
}

import { ScimError } from './errors';

/**
 * RFC 7644 §3.14 with RFC 7232 semantics. Versions are weak ETags (W/"<n>"), so comparisons
 * are weak: W/"3" and "3" match. If-Match that matches nothing → 412; If-None-Match that
 * matches → 304 for reads, 412 for writes. "*" matches any existing resource.
 */
export interface Preconditions {
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
}

/** The entity tags of an If-Match / If-None-Match header: '*' or the quoted opaque tags (weakness dropped). */
export function parseEtagList(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (t === '*' ? '*' : `"${t.replace(/^W\//i, '').replace(/^"|"$/g, '')}"`));
}

export function checkPreconditions(version: number, preconditions: Preconditions, kind: 'read' | 'write'): void {
  const current = `"${version}"`;
  const etag = `W/"${version}"`;
  if (preconditions.ifMatch) {
    const tags = parseEtagList(preconditions.ifMatch);
    if (!tags.includes('*') && !tags.includes(current)) {
      throw new ScimError(412, `The resource has changed: its version is ${etag}, not ${preconditions.ifMatch}`, undefined, { ETag: etag });
    }
  }
  if (preconditions.ifNoneMatch) {
    const tags = parseEtagList(preconditions.ifNoneMatch);
    if (tags.includes('*') || tags.includes(current)) {
      if (kind === 'read') throw new ScimError(304, 'Not Modified', undefined, { ETag: etag });
      throw new ScimError(412, `The resource's version is ${etag} (If-None-Match)`, undefined, { ETag: etag });
    }
  }
}

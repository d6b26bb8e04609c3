import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { parseIpRange, type IpRange } from './ip';
import { normaliseDomain } from './domain';

/**
 * A feed's entries at rest: canonical lines ("1.2.3.0/24", "2001:db8::/32", "evil.example"),
 * gzip-compressed into one value (a million IPv4 entries: ~6 MB). One row per feed saves and
 * loads in a single statement on Postgres and PGlite alike; the SHA-256 of the uncompressed
 * text tells a loader whether its parsed copy is still current. gzip level 1: five times faster
 * than the default for 10% more bytes. The value travels as base64 text through SQL
 * encode()/decode(): measured on PGlite with a million entries, 1 s to save and 0.1 s to load,
 * against 9 s and 1.2 s for the same bytes as a Prisma Bytes parameter.
 */
export function encodeEntries(entries: string[]): { blob: Buffer; base64: string; sha256: string; count: number } {
  const text = entries.join('\n');
  const blob = zlib.gzipSync(text, { level: 1 });
  return {
    blob,
    base64: blob.toString('base64'),
    sha256: crypto.createHash('sha256').update(text).digest('hex'),
    count: entries.length,
  };
}

/** Parsed entries, ready for the matcher builder. */
export interface LoadedEntries {
  v4Start: Uint32Array;
  v4End: Uint32Array;
  v6: { start: bigint; end: bigint }[];
  domains: string[];
  invalid: number;
}

export function decodeEntries(blob: Uint8Array): LoadedEntries {
  const text = zlib.gunzipSync(blob).toString('utf8');
  return loadLines(text ? text.split('\n') : []);
}

export function loadLines(lines: string[]): LoadedEntries {
  const v4Start = new Uint32Array(lines.length);
  const v4End = new Uint32Array(lines.length);
  let n4 = 0;
  const v6: { start: bigint; end: bigint }[] = [];
  const domains: string[] = [];
  let invalid = 0;
  for (const line of lines) {
    if (!line) continue;
    const range: IpRange | null = parseIpRange(line);
    if (range?.family === 4) {
      v4Start[n4] = range.start;
      v4End[n4++] = range.end;
    } else if (range) v6.push({ start: range.start, end: range.end });
    else {
      const domain = normaliseDomain(line);
      if (domain) domains.push(domain);
      else invalid++;
    }
  }
  return { v4Start: v4Start.slice(0, n4), v4End: v4End.slice(0, n4), v6, domains, invalid };
}

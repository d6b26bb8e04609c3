import { hostOf, normaliseDomain } from './domain';
import { formatIpRange, parseIPv4, parseIpRange } from './ip';
import { compileJsonPath, evaluateJsonPath } from './json-path';
import type { CsvOptions, FeedFormat, FeedKind, FormatOptions } from './schemas';

/**
 * Feed parsers. Each turns a downloaded document into canonical IOC entries ("1.2.3.0/24",
 * "2001:db8::/32", "evil.example"), counting what it could not read. A bad line is counted and
 * a few are kept as samples for the console; it never fails the feed.
 */
export interface ParsedFeed {
  entries: string[];
  /** Lines or values that should have been an IOC and were not. */
  bad: number;
  /** Lines that carry no IOC by design (metadata, unsupported STIX patterns, IPs in a domain feed). */
  ignored: number;
  badSamples: string[];
}

const MAX_SAMPLES = 5;

class Collector {
  private seen = new Set<string>();
  bad = 0;
  ignored = 0;
  badSamples: string[] = [];
  constructor(private kind: FeedKind) {}

  markBad(text: string) {
    this.bad++;
    if (this.badSamples.length < MAX_SAMPLES) this.badSamples.push(text.length > 120 ? `${text.slice(0, 117)}…` : text);
  }

  /** A value that should be an IOC of the feed's kind; `line` is what a bad sample shows. */
  value(raw: string, line = raw) {
    const text = raw.trim();
    if (!text) return this.markBad(line);
    if (this.kind === 'ip') {
      const range = parseIpRange(text);
      if (range) this.seen.add(formatIpRange(range));
      else this.markBad(line);
      return;
    }
    const host = hostOf(text);
    if (parseIpRange(host)) {
      this.ignored++;
      return;
    }
    const domain = normaliseDomain(host);
    if (domain) this.seen.add(domain);
    else this.markBad(line);
  }

  /** STIX patterns name their own type. */
  typed(type: 'ipv4-addr' | 'ipv6-addr' | 'domain-name', raw: string) {
    if (type === 'domain-name') {
      const domain = normaliseDomain(raw);
      if (domain) this.seen.add(domain);
      else this.markBad(raw);
      return;
    }
    const range = parseIpRange(raw.trim());
    if (range && (range.family === 4) === (type === 'ipv4-addr')) this.seen.add(formatIpRange(range));
    else this.markBad(raw);
  }

  result(): ParsedFeed {
    return { entries: [...this.seen], bad: this.bad, ignored: this.ignored, badSamples: this.badSamples };
  }
}

function* lines(text: string): Generator<string> {
  let start = 0;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    yield line;
  }
}

/** The text before a comment: `#` anywhere, or `;` (Spamhaus: "1.10.16.0/20 ; SBL256894"). */
function stripComment(line: string): string {
  const hash = line.indexOf('#');
  const semicolon = line.indexOf(';');
  let cut = line.length;
  if (hash >= 0) cut = hash;
  if (semicolon >= 0 && semicolon < cut) cut = semicolon;
  if (line.startsWith('//')) cut = 0;
  return line.slice(0, cut).trim();
}

/**
 * Plain lists: one IP, CIDR or range (or one domain / URL) per line, the first
 * whitespace-separated token; `#`, `;` and `//` start comments. Hosts files
 * ("0.0.0.0 evil.example") give their host name in a domain feed.
 */
export function parsePlain(text: string, kind: FeedKind): ParsedFeed {
  const out = new Collector(kind);
  for (const line of lines(text)) {
    const content = stripComment(line);
    if (!content) continue;
    const tokens = content.split(/\s+/);
    let token = tokens[0];
    if (kind === 'domain' && tokens.length > 1 && parseIPv4(tokens[0]) >= 0) {
      // hosts-file form: the address is a sink, the name is the IOC.
      token = tokens[1];
      if (token === 'localhost' || token.endsWith('.localdomain') || token === 'localhost.localdomain') {
        out.ignored++;
        continue;
      }
    }
    out.value(token, content);
  }
  return out.result();
}

/** RFC 4180 fields of one line (quotes, doubled quotes); a quoted field never spans lines here. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return delimiter === ' ' ? line.trim().split(/ +/) : line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function columnIndex(spec: string | undefined, header: string[] | null): number | undefined {
  if (spec === undefined) return undefined;
  if (/^\d+$/.test(spec)) return Number(spec) - 1;
  if (!header) return -1;
  const wanted = spec.trim().toLowerCase();
  return header.findIndex((h) => h.trim().replace(/^#\s*/, '').toLowerCase() === wanted);
}

function prefixLength(value: string): number | null {
  const text = value.trim();
  if (/^\d{1,3}$/.test(text)) return Number(text);
  const mask = parseIPv4(text);
  if (mask < 0) return null;
  // A dotted netmask must be contiguous ones.
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return null;
  return 32 - Math.log2(inverted + 1);
}

/**
 * CSV (RFC 4180, any delimiter) with a column mapping: the value column, or a start/end range
 * (DShield's block.txt), or a value with a prefix-length column; rows below a minimum score are
 * skipped. Lines starting with `#` are comments; the header is the first other line.
 */
export function parseCsv(text: string, kind: FeedKind, options: CsvOptions): ParsedFeed {
  const out = new Collector(kind);
  let header: string[] | null = null;
  let headerPending = options.header;
  let value = -1;
  let end: number | undefined;
  let prefix: number | undefined;
  let min: number | undefined;
  const resolve = () => {
    value = columnIndex(options.column, header) ?? -1;
    end = columnIndex(options.endColumn, header);
    prefix = columnIndex(options.prefixColumn, header);
    min = columnIndex(options.minColumn, header);
  };
  if (!headerPending) resolve();
  for (const line of lines(text)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields = splitCsvLine(line, options.delimiter);
    if (headerPending) {
      header = fields;
      headerPending = false;
      resolve();
      if (value < 0) {
        out.markBad(`header has no column "${options.column}"`);
        return out.result();
      }
      continue;
    }
    const raw = fields[value];
    if (raw === undefined) {
      out.markBad(line);
      continue;
    }
    if (min !== undefined && min >= 0) {
      const score = Number(fields[min]);
      if (!Number.isFinite(score)) {
        out.markBad(line);
        continue;
      }
      if (options.minValue !== undefined && score < options.minValue) continue;
    }
    if (end !== undefined && end >= 0 && fields[end]?.trim()) {
      out.value(`${raw.trim()}-${fields[end].trim()}`, line);
    } else if (prefix !== undefined && prefix >= 0 && fields[prefix]?.trim()) {
      const bits = prefixLength(fields[prefix]);
      if (bits === null) out.markBad(line);
      else out.value(`${raw.trim()}/${bits}`, line);
    } else out.value(raw, line);
  }
  return out.result();
}

function collectJsonValues(out: Collector, values: unknown[]): number {
  let taken = 0;
  for (const value of values) {
    if (typeof value === 'string') {
      out.value(value);
      taken++;
    } else if (Array.isArray(value)) taken += collectJsonValues(out, value);
    else if (value !== null && value !== undefined) {
      out.markBad(JSON.stringify(value).slice(0, 120));
      taken++;
    }
  }
  return taken;
}

/**
 * JSON with a path to the values (`$[*].ip_address` for Feodo Tracker). A document that is not
 * one JSON value is read as JSON Lines, the path applying to each line (Spamhaus's
 * drop_v4.json: `{"cidr":"1.10.16.0/20","sblid":…}` per line, then a metadata line).
 */
export function parseJson(text: string, kind: FeedKind, path: string): ParsedFeed {
  const out = new Collector(kind);
  const steps = compileJsonPath(path);
  let document: unknown;
  let whole = true;
  try {
    document = JSON.parse(text);
  } catch {
    whole = false;
  }
  if (whole) {
    collectJsonValues(out, evaluateJsonPath(steps, document));
    return out.result();
  }
  for (const line of lines(text)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    let item: unknown;
    try {
      item = JSON.parse(trimmed);
    } catch {
      out.markBad(trimmed);
      continue;
    }
    if (collectJsonValues(out, evaluateJsonPath(steps, item)) === 0) out.ignored++;
  }
  return out.result();
}

type StixType = 'ipv4-addr' | 'ipv6-addr' | 'domain-name';
const COMPARISON = /^\s*(ipv4-addr|ipv6-addr|domain-name):value\s*(=|ISSUBSET)\s*'((?:[^'\\]|\\.)*)'\s*$/;

/**
 * The IOCs of one STIX 2.1 pattern (§9), or null when the pattern is not a plain disjunction of
 * `ipv4-addr:value`, `ipv6-addr:value` or `domain-name:value` comparisons. An AND, a
 * FOLLOWEDBY, a qualifier or another object type narrows the indicator to something we cannot
 * check from an address alone, so it is skipped rather than over-blocked.
 */
export function stixPatternValues(pattern: string): { type: StixType; value: string }[] | null {
  const text = pattern.trim();
  if (/\b(AND|FOLLOWEDBY|WITHIN|REPEATS|START|STOP)\b/.test(text.replace(/'(?:[^'\\]|\\.)*'/g, "''"))) return null;
  const results: { type: StixType; value: string }[] = [];
  // Observation expressions [..] joined by OR, each a disjunction of comparisons.
  const observations = text.split(/\]\s*OR\s*\[/);
  for (let observation of observations) {
    observation = observation.replace(/^\s*\[/, '').replace(/\]\s*$/, '');
    for (const comparison of observation.split(/\s+OR\s+/)) {
      const m = COMPARISON.exec(comparison);
      if (!m) return null;
      results.push({ type: m[1] as StixType, value: m[3].replace(/\\(.)/g, '$1') });
    }
  }
  return results;
}

/**
 * STIX 2.1 bundles: the patterns of `indicator` objects (pattern_type stix), skipping revoked
 * indicators and those past their valid_until.
 */
export function parseStix(text: string, kind: FeedKind, now = new Date()): ParsedFeed {
  const out = new Collector(kind);
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch {
    out.markBad('the document is not JSON');
    return out.result();
  }
  const objects = bundle && typeof bundle === 'object' && Array.isArray((bundle as { objects?: unknown }).objects) ? ((bundle as { objects: unknown[] }).objects) : null;
  if (!objects) {
    out.markBad('not a STIX bundle (no objects array)');
    return out.result();
  }
  for (const object of objects) {
    if (!object || typeof object !== 'object') {
      out.markBad(String(object));
      continue;
    }
    const o = object as Record<string, unknown>;
    if (o.type !== 'indicator') continue;
    if (o.revoked === true || (o.pattern_type !== undefined && o.pattern_type !== 'stix')) {
      out.ignored++;
      continue;
    }
    if (typeof o.valid_until === 'string' && Date.parse(o.valid_until) < now.getTime()) {
      out.ignored++;
      continue;
    }
    if (typeof o.pattern !== 'string') {
      out.markBad(`indicator ${String(o.id)} has no pattern`);
      continue;
    }
    const values = stixPatternValues(o.pattern);
    if (values === null) {
      out.ignored++;
      continue;
    }
    for (const { type, value } of values) out.typed(type, value);
  }
  return out.result();
}

export function parseFeed(text: string, format: FeedFormat, kind: FeedKind, options: FormatOptions = {}): ParsedFeed {
  switch (format) {
    case 'plain':
      return parsePlain(text, kind);
    case 'csv':
      return parseCsv(text, kind, options.csv ?? { delimiter: ',', header: true, column: '1' });
    case 'json':
      return parseJson(text, kind, options.json?.path ?? '$[*]');
    case 'stix':
      return parseStix(text, kind);
  }
}

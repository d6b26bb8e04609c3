/**
 * Fast, strict IP and CIDR parsing for IOC lists and per-request lookups.
 *
 * ipaddr.js is the reference parser (lib/http/client-ip.ts uses it to canonicalise the client
 * address, and the tests check these parsers against it on random input), but it costs 1–4 µs
 * per IPv6 address: too slow for a million feed lines and for a lookup budget of a microsecond.
 * These parsers accept only the canonical textual forms feeds use (RFC 4291 §2.2 for IPv6,
 * dotted-quad decimal for IPv4 — no octal, hex or short forms, which are ambiguous).
 */

/** IPv4 address as an unsigned 32-bit number, or -1. */
export function parseIPv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero ("010") is refused: some parsers read it as octal.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * IPv6 address as four unsigned 32-bit words (most significant first) written into `out`;
 * returns false when the text is not an IPv6 address. An embedded IPv4 tail is accepted.
 */
export function parseIPv6Into(text: string, out: Uint32Array | number[], from = 0, to = text.length): boolean {
  const groups = [0, 0, 0, 0, 0, 0, 0, 0];
  let count = 0;
  let gap = -1;
  let i = from;
  if (to - from < 2) return false;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === to) return writeGroups(groups, 0, 0, out);
  }
  while (i < to) {
    if (count === 8) return false;
    // An IPv4 tail ("::ffff:1.2.3.4") takes two groups.
    let j = i;
    let value = 0;
    let hex = 0;
    while (j < to) {
      const c = text.charCodeAt(j);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      value = value * 16 + d;
      if (++hex > 4) return false;
      j++;
    }
    if (j < to && text.charCodeAt(j) === 46) {
      if (count > 6) return false;
      const v4 = parseIPv4(text, i, to);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = to;
      break;
    }
    if (hex === 0) return false;
    groups[count++] = value;
    if (j === to) {
      i = j;
      break;
    }
    if (text.charCodeAt(j) !== 58) return false;
    j++;
    if (j < to && text.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = count;
      j++;
      if (j === to) {
        i = j;
        break;
      }
    } else if (j === to) return false;
    i = j;
  }
  if (gap < 0) {
    if (count !== 8) return false;
  } else {
    if (count > 7) return false;
    const tail = count - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k];
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  return writeGroups(groups, 0, 8, out);
}

function writeGroups(groups: number[], _from: number, _n: number, out: Uint32Array | number[]): boolean {
  out[0] = ((groups[0] << 16) | groups[1]) >>> 0;
  out[1] = ((groups[2] << 16) | groups[3]) >>> 0;
  out[2] = ((groups[4] << 16) | groups[5]) >>> 0;
  out[3] = ((groups[6] << 16) | groups[7]) >>> 0;
  return true;
}

export type IpRange =
  | { family: 4; start: number; end: number }
  | { family: 6; start: bigint; end: bigint };

const V6_MAX = (1n << 128n) - 1n;

export const wordsToBigInt = (w: ArrayLike<number>): bigint => (BigInt(w[0]) << 96n) | (BigInt(w[1]) << 64n) | (BigInt(w[2]) << 32n) | BigInt(w[3]);

export function bigIntToWords(value: bigint, out: Uint32Array, offset = 0) {
  out[offset] = Number((value >> 96n) & 0xffffffffn);
  out[offset + 1] = Number((value >> 64n) & 0xffffffffn);
  out[offset + 2] = Number((value >> 32n) & 0xffffffffn);
  out[offset + 3] = Number(value & 0xffffffffn);
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) as its IPv4 number, otherwise -1. */
function mappedIPv4(words: ArrayLike<number>): number {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff ? words[3] : -1;
}

const scratch = new Uint32Array(4);

/**
 * One IOC token: an address, a CIDR ("10.0.0.0/8", "2001:db8::/32") or a range ("a-b", same
 * family). Host bits set in a CIDR are cleared (the network is what the list means). Returns
 * null when it is not one of those.
 */
export function parseIpRange(token: string): IpRange | null {
  const slash = token.indexOf('/');
  const dash = slash < 0 ? token.indexOf('-') : -1;
  if (dash > 0) {
    const a = parseIpRange(token.slice(0, dash).trim());
    const b = parseIpRange(token.slice(dash + 1).trim());
    if (!a || !b || a.family !== b.family || a.start !== a.end || b.start !== b.end) return null;
    if (a.family === 4 && b.family === 4) return a.start <= b.start ? { family: 4, start: a.start, end: b.start } : null;
    if (a.family === 6 && b.family === 6) return a.start <= b.start ? { family: 6, start: a.start, end: b.start } : null;
    return null;
  }
  const addressEnd = slash < 0 ? token.length : slash;
  let bits = -1;
  if (slash >= 0) {
    const prefix = token.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) return null;
    bits = Number(prefix);
  }
  const v4 = parseIPv4(token, 0, addressEnd);
  if (v4 >= 0) {
    if (bits > 32) return null;
    if (bits < 0) return { family: 4, start: v4, end: v4 };
    const size = 2 ** (32 - bits);
    const start = v4 - (v4 % size);
    return { family: 4, start, end: start + size - 1 };
  }
  if (!parseIPv6Into(token, scratch, 0, addressEnd)) return null;
  if (bits > 128) return null;
  const mapped = mappedIPv4(scratch);
  if (mapped >= 0 && (bits < 0 || bits >= 96)) {
    // An IPv4-mapped entry means the IPv4 address (clients are canonicalised the same way).
    const v4bits = bits < 0 ? 32 : bits - 96;
    const size = 2 ** (32 - v4bits);
    const start = mapped - (mapped % size);
    return { family: 4, start, end: start + size - 1 };
  }
  const value = wordsToBigInt(scratch);
  if (bits < 0) return { family: 6, start: value, end: value };
  const hostMask = bits === 0 ? V6_MAX : (1n << BigInt(128 - bits)) - 1n;
  const start = value & ~hostMask & V6_MAX;
  return { family: 6, start, end: start | hostMask };
}

export const formatIPv4 = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952 §4.2: compress the longest run (of two or more) of zero groups, the first on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The shortest text for a range: an address, a CIDR when it is one, else "start-end". */
export function formatIpRange(range: IpRange): string {
  if (range.family === 4) {
    if (range.start === range.end) return formatIPv4(range.start);
    const size = range.end - range.start + 1;
    const bits = 32 - Math.log2(size);
    if (Number.isInteger(bits) && range.start % size === 0) return `${formatIPv4(range.start)}/${bits}`;
    return `${formatIPv4(range.start)}-${formatIPv4(range.end)}`;
  }
  if (range.start === range.end) return formatIPv6(range.start);
  const size = range.end - range.start + 1n;
  if ((size & (size - 1n)) === 0n && range.start % size === 0n) {
    const bits = 128 - (size.toString(2).length - 1);
    return `${formatIPv6(range.start)}/${bits}`;
  }
  return `${formatIPv6(range.start)}-${formatIPv6(range.end)}`;
}

/** A client address as a lookup key: IPv4 number, IPv6 words, or null. Mapped IPv6 becomes IPv4. */
export function parseClientIp(ip: string, words: Uint32Array): 4 | 6 | null {
  const v4 = parseIPv4(ip);
  if (v4 >= 0) {
    words[3] = v4;
    return 4;
  }
  // Strip a zone index ("fe80::1%eth0"): it names an interface, not an address.
  const percent = ip.indexOf('%');
  if (!parseIPv6Into(ip, words, 0, percent < 0 ? ip.length : percent)) return null;
  const mapped = mappedIPv4(words);
  if (mapped >= 0) {
    words[3] = mapped;
    return 4;
  }
  return 6;
}

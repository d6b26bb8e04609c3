import ipaddr from 'ipaddr.js';
import { getConfig } from '@/lib/config';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

let trusted: { source: string; ranges: Range[] } | undefined;

function trustedRanges(): Range[] {
  const source = getConfig().server.trustedProxies;
  if (trusted?.source !== source) {
    trusted = { source, ranges: source ? source.split(',').map((cidr) => parseRange(cidr.trim())) : [] };
  }
  return trusted.ranges;
}

function parseRange(cidr: string): Range {
  if (cidr.includes('/')) return ipaddr.parseCIDR(cidr);
  const address = ipaddr.parse(cidr);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** Canonical text of an address (IPv4-mapped IPv6 becomes plain IPv4), or null if not an IP. */
export function normaliseIp(value: string | undefined | null): string | null {
  if (!value) return null;
  try {
    const address = ipaddr.process(value.trim());
    return address.toString();
  } catch {
    return null;
  }
}

function isTrusted(ip: string): boolean {
  const ranges = trustedRanges();
  if (ranges.length === 0) return false;
  const address = ipaddr.process(ip);
  return ranges.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

/**
 * One X-Forwarded-For entry as an address: proxies may append a port (`1.2.3.4:5555`,
 * `[2001:db8::1]:443`); anything else that is not an address (`unknown`, obfuscated names) is null.
 */
function forwardedHop(entry: string): string | null {
  const value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return normaliseIp(bracketed[1]);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  return normaliseIp(withPort ? withPort[1] : value);
}

/**
 * The client's address. X-Forwarded-For is believed only when the connection comes from a
 * proxy listed in TRUSTED_PROXIES, and then only up to the first hop that is not trusted
 * (walking from the right), so a client cannot forge its address by sending the header itself.
 * An entry that is not an address stops the walk: what lies to its left was written by nobody
 * we trust, so the nearest proxy we do trust stands for the client.
 */
export function clientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  const socketIp = normaliseIp(socketAddress) ?? '0.0.0.0';
  if (!forwardedFor || !isTrusted(socketIp)) return socketIp;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let nearestTrusted = socketIp;
  for (let i = entries.length - 1; i >= 0; i--) {
    const hop = forwardedHop(entries[i]);
    if (hop === null) return nearestTrusted;
    if (!isTrusted(hop)) return hop;
    nearestTrusted = hop;
  }
  return nearestTrusted;
}

/**
 * The key for per-address limits and counters: an IPv4 address, or an IPv6 address's /64. One
 * IPv6 subscriber usually holds a whole /64, so keying by /128 would hand them unlimited fresh
 * keys (and fill the counters).
 */
export function addressKey(ip: string): string {
  try {
    const address = ipaddr.parse(ip);
    if (address.kind() === 'ipv4') return ip;
    const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
    return `${parts.join(':')}::/64`;
  } catch {
    return ip;
  }
}

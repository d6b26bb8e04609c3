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
 * The client's address. X-Forwarded-For is believed only when the connection comes from a
 * proxy listed in TRUSTED_PROXIES, and then only up to the first hop that is not trusted
 * (walking from the right), so a client cannot forge its address by sending the header itself.
 */
export function clientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  const socketIp = normaliseIp(socketAddress) ?? '0.0.0.0';
  if (!forwardedFor || !isTrusted(socketIp)) return socketIp;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => normaliseIp(h)).filter((h): h is string => h !== null);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(hops[i])) return hops[i];
  }
  return hops[0] ?? socketIp;
}

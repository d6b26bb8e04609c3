import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { formatIPv6, formatIpRange, parseClientIp, parseIPv4, parseIPv6Into, parseIpRange, wordsToBigInt } from './ip';

function randomIPv6(random: () => number): string {
  const groups = Array.from({ length: 8 }, () => (random() < 0.3 ? 0 : Math.floor(random() * 65536)));
  return formatIPv6(wordsToBigInt([((groups[0] << 16) | groups[1]) >>> 0, ((groups[2] << 16) | groups[3]) >>> 0, ((groups[4] << 16) | groups[5]) >>> 0, ((groups[6] << 16) | groups[7]) >>> 0]));
}

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

describe('IP parsing', () => {
  it('parses dotted-quad IPv4 and refuses ambiguous forms', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('192.0.2.1')).toBe(0xc0000201);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '', '1.2.3.4 ', '0x7f.0.0.1', 'a.b.c.d']) expect(parseIPv4(bad), bad).toBe(-1);
  });

  it('agrees with ipaddr.js on random IPv6 addresses in every textual form', () => {
    const words = new Uint32Array(4);
    for (let i = 0; i < 2000; i++) {
      const text = randomIPv6(random);
      const reference = ipaddr.IPv6.parse(text).toNormalizedString();
      const long = reference; // full form, no compression
      for (const form of [text, long, text.toUpperCase()]) {
        expect(parseIPv6Into(form, words), form).toBe(true);
        const parts = ipaddr.IPv6.parse(form).parts;
        expect([...words]).toEqual([((parts[0] << 16) | parts[1]) >>> 0, ((parts[2] << 16) | parts[3]) >>> 0, ((parts[4] << 16) | parts[5]) >>> 0, ((parts[6] << 16) | parts[7]) >>> 0]);
      }
      expect(formatIPv6(wordsToBigInt(words))).toBe(ipaddr.IPv6.parse(text).toString());
    }
  });

  it('refuses malformed IPv6', () => {
    const words = new Uint32Array(4);
    for (const bad of [':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8::', ':1::', '1:', '::1.2.3', '1.2.3.4::']) expect(parseIPv6Into(bad, words), bad).toBe(false);
    for (const good of ['::', '::1', '1::', 'fe80::1:2', '::ffff:1.2.3.4', '64:ff9b::192.0.2.33', '1:2:3:4:5:6:7::']) expect(parseIPv6Into(good, words), good).toBe(true);
  });

  it('reads CIDRs, clears host bits, and reads ranges', () => {
    expect(parseIpRange('10.1.2.3/8')).toEqual({ family: 4, start: 0x0a000000, end: 0x0affffff });
    expect(parseIpRange('0.0.0.0/0')).toEqual({ family: 4, start: 0, end: 0xffffffff });
    expect(parseIpRange('192.0.2.10-192.0.2.20')).toEqual({ family: 4, start: 0xc000020a, end: 0xc0000214 });
    expect(parseIpRange('192.0.2.20-192.0.2.10')).toBeNull();
    expect(parseIpRange('10.0.0.0/33')).toBeNull();
    expect(parseIpRange('10.0.0.0/')).toBeNull();
    const v6 = parseIpRange('2001:db8:1234::1/32');
    expect(v6?.family).toBe(6);
    expect(formatIpRange(v6!)).toBe('2001:db8::/32');
    expect(formatIpRange(parseIpRange('2001:db8::/128')!)).toBe('2001:db8::');
    expect(formatIpRange(parseIpRange('::/0')!)).toBe('::/0');
    // IPv4-mapped IPv6 entries mean the IPv4 address, as clients are canonicalised the same way.
    expect(parseIpRange('::ffff:192.0.2.0/120')).toEqual({ family: 4, start: 0xc0000200, end: 0xc00002ff });
    expect(formatIpRange(parseIpRange('1.2.3.4/24')!)).toBe('1.2.3.0/24');
  });

  it('canonicalises client addresses (mapped IPv6 and zones)', () => {
    const words = new Uint32Array(4);
    expect(parseClientIp('::ffff:192.0.2.1', words)).toBe(4);
    expect(words[3]).toBe(0xc0000201);
    expect(parseClientIp('fe80::1%eth0', words)).toBe(6);
    expect(parseClientIp('not-an-ip', words)).toBeNull();
  });
});

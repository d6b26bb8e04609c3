import { beforeAll, describe, expect, it } from 'vitest';
import { addressKey, clientIp } from './client-ip';

describe('client address behind trusted proxies', () => {
  beforeAll(() => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8, 2001:db8:ffff::/48';
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('iam.config')]; // read the setting afresh
  });

  it('believes X-Forwarded-For only from a trusted proxy, up to the first untrusted hop', () => {
    expect(clientIp('203.0.113.9', '6.6.6.6')).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(clientIp('10.0.0.1', '198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
    expect(clientIp('::ffff:10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('reads the ports proxies append, and stops at an entry that is not an address (no spoofing past it)', () => {
    expect(clientIp('10.0.0.1', '6.6.6.6, 1.2.3.4:5555')).toBe('1.2.3.4');
    expect(clientIp('10.0.0.1', '6.6.6.6, [2001:db8::7]:443')).toBe('2001:db8::7');
    expect(clientIp('10.0.0.1', '6.6.6.6, unknown')).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', '6.6.6.6, unknown, 10.0.0.2')).toBe('10.0.0.2');
  });

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb::2')).toBe(addressKey('2001:db8:1:2:aaaa::1'));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  });
});

import { describe, expect, it } from 'vitest';
import { emptySnapshot, type SourceInfo, type Snapshot } from './engine';
import { formatIPv4, formatIPv6, parseIpRange } from './ip';
import { MatcherBuilder } from './matcher';
import { evaluateIp } from './verdict';

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const randInt = (n: number) => Math.floor(random() * n);

describe('IOC matcher', () => {
  it('matches exactly what a naive scan matches, IPv4 and IPv6, overlapping sources', () => {
    // Random ranges crowded into a small space so that they overlap, nest and touch.
    const v4: { start: number; end: number; source: number }[] = [];
    const v6: { start: bigint; end: bigint; source: number }[] = [];
    const builder = new MatcherBuilder();
    const base6 = 0x20010db8n << 96n;
    for (let i = 0; i < 3000; i++) {
      const source = randInt(12);
      const start = 0x0a000000 + randInt(50_000);
      const size = random() < 0.5 ? 1 : 2 ** randInt(10);
      const aligned = start - (start % size);
      v4.push({ start: aligned, end: aligned + size - 1, source });
      builder.addV4(aligned, aligned + size - 1, source);
      const s6 = base6 + BigInt(randInt(50_000));
      const len6 = random() < 0.5 ? 1n : BigInt(randInt(500) + 1);
      v6.push({ start: s6, end: s6 + len6 - 1n, source });
      builder.addV6(s6, s6 + len6 - 1n, source);
    }
    // The extremes of the address space.
    builder.addV4(0xffffff00, 0xffffffff, 3);
    v4.push({ start: 0xffffff00, end: 0xffffffff, source: 3 });
    builder.addV4(0, 0, 4);
    v4.push({ start: 0, end: 0, source: 4 });
    const matcher = builder.build();
    const naive4 = (ip: number) => [...new Set(v4.filter((r) => r.start <= ip && ip <= r.end).map((r) => r.source))].sort((a, b) => a - b);
    const naive6 = (ip: bigint) => [...new Set(v6.filter((r) => r.start <= ip && ip <= r.end).map((r) => r.source))].sort((a, b) => a - b);
    for (let i = 0; i < 5000; i++) {
      const ip = i < 10 ? [0, 1, 0xffffffff, 0xfffffeff, 0xffffff00, 0x09ffffff, 0x0a000000][i % 7] : 0x0a000000 + randInt(52_000) - 1000;
      const got = matcher.lookupIp(formatIPv4(ip >>> 0));
      expect(got ? [...got] : [], formatIPv4(ip >>> 0)).toEqual(naive4(ip >>> 0));
      const ip6 = base6 + BigInt(randInt(52_000)) - 1000n;
      const got6 = matcher.lookupIp(formatIPv6(ip6));
      expect(got6 ? [...got6] : [], formatIPv6(ip6)).toEqual(naive6(ip6));
    }
    expect(matcher.stats.entries).toEqual({ ipv4: 3002, ipv6: 3000, domain: 0 });
    expect(matcher.stats.bytes).toBeGreaterThan(0);
  });

  it('walks parent domains and never matches on a bare TLD', () => {
    const builder = new MatcherBuilder();
    builder.addDomain('evil.example', 1);
    builder.addDomain('deep.sub.other.example', 2);
    builder.addDomain('evil.example', 3);
    const m = builder.build();
    expect(m.lookupDomain('evil.example')).toEqual([1, 3]);
    expect(m.lookupDomain('a.b.evil.example')).toEqual([1, 3]);
    expect(m.lookupDomain('notevil.example')).toBeNull();
    expect(m.lookupDomain('example')).toBeNull();
    expect(m.lookupDomain('sub.other.example')).toBeNull();
    expect(m.lookupDomain('x.deep.sub.other.example')).toEqual([2]);
  });

  it('builds many IPv6 networks sharing their low 64 bits in linear-ish time (no BigInt-keyed map)', () => {
    const builder = new MatcherBuilder();
    for (let i = 0; i < 40_000; i++) builder.addV6((0x20010db8n << 96n) | (BigInt(i * 7919) << 64n), (0x20010db8n << 96n) | (BigInt(i * 7919) << 64n) | 0xffffffffffffffffn, i % 3);
    const started = performance.now();
    const m = builder.build();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(m.stats.segments.ipv6).toBe(40_000);
    expect(m.lookupIp('2001:db8:0:1eef:ffff:ffff:ffff:ffff')).toEqual([1]);
  });

  it('an empty matcher matches nothing', () => {
    const m = new MatcherBuilder().build();
    expect(m.lookupIp('192.0.2.1')).toBeNull();
    expect(m.lookupIp('2001:db8::1')).toBeNull();
    expect(m.lookupIp('garbage')).toBeNull();
  });
});

describe('verdicts: allow over deny, tenant scope, policy', () => {
  const T1 = '11111111-1111-1111-1111-111111111111';
  const T2 = '22222222-2222-2222-2222-222222222222';
  function snapshot(entries: { value: string; source: SourceInfo }[], tweak: Partial<Snapshot> = {}): Snapshot {
    const builder = new MatcherBuilder();
    const sources: SourceInfo[] = [];
    for (const { value, source } of entries) {
      builder.addRange(parseIpRange(value)!, sources.length);
      sources.push(source);
    }
    return { ...emptySnapshot(), matcher: builder.build(), sources, loaded: true, ...tweak };
  }
  const feed = (name: string, action: SourceInfo['action'] = null): SourceInfo => ({ kind: 'feed', list: 'deny', tenantId: null, name, feedId: name, action, expiresAt: null });
  const manual = (list: 'allow' | 'deny', tenantId: string | null, expiresAt: number | null = null): SourceInfo => ({ kind: 'manual', list, tenantId, name: list === 'allow' ? 'allow' : 'manual', action: null, expiresAt });

  it('the allow list wins over every deny, only in its tenant', () => {
    const s = snapshot([
      { value: '203.0.113.0/24', source: feed('f1') },
      { value: '203.0.113.7', source: manual('allow', T1) },
      { value: '2001:db8::/32', source: feed('f6') },
      { value: '2001:db8::1', source: manual('allow', null) },
    ]);
    expect(evaluateIp('203.0.113.7', T1, s).verdict).toBe('allow');
    expect(evaluateIp('203.0.113.7', T1, s).allowedBy?.list).toBe('allow');
    expect(evaluateIp('203.0.113.7', T2, s).verdict).toBe('block');
    expect(evaluateIp('203.0.113.7', null, s).verdict).toBe('block');
    expect(evaluateIp('2001:db8::1', T2, s).verdict).toBe('allow');
    expect(evaluateIp('2001:db8::2', T2, s).verdict).toBe('block');
    expect(evaluateIp('198.51.100.1', null, s).verdict).toBe('allow');
  });

  it('tenant deny entries and expired entries', () => {
    const s = snapshot([
      { value: '198.51.100.5', source: manual('deny', T1) },
      { value: '198.51.100.6', source: manual('deny', null, Date.now() - 1000) },
      { value: '198.51.100.6', source: manual('allow', null, Date.now() - 1000) },
    ]);
    expect(evaluateIp('198.51.100.5', T1, s).verdict).toBe('block');
    expect(evaluateIp('198.51.100.5', T2, s).verdict).toBe('allow');
    expect(evaluateIp('198.51.100.6', null, s).verdict).toBe('allow');
  });

  it('actions: the harshest feed action, the global default, and a tenant override', () => {
    const entries = [
      { value: '192.0.2.0/24', source: feed('tor', 'challenge') },
      { value: '192.0.2.9', source: feed('botnet') },
      { value: '198.51.100.0/24', source: feed('noisy', 'log') },
    ];
    const s = snapshot(entries, { globalPolicy: { ip: 'block', domain: 'block' }, tenantPolicies: new Map([[T1, { ip: 'log', domain: null }]]) });
    expect(evaluateIp('192.0.2.1', null, s).verdict).toBe('challenge');
    expect(evaluateIp('192.0.2.9', null, s).verdict).toBe('block');
    expect(evaluateIp('198.51.100.1', null, s).verdict).toBe('log');
    expect(evaluateIp('192.0.2.9', T1, s).verdict).toBe('log');
    const lenient = snapshot(entries, { globalPolicy: { ip: 'log', domain: 'log' } });
    // 192.0.2.9 is also in the Tor /24, whose own action (challenge) is harsher than the default.
    expect(evaluateIp('192.0.2.9', null, lenient).verdict).toBe('challenge');
    expect(evaluateIp('198.51.100.1', null, lenient).verdict).toBe('log');
  });
});

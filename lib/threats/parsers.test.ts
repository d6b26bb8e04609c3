import { describe, expect, it } from 'vitest';
import { hostOf, normaliseDomain } from './domain';
import { compileJsonPath, evaluateJsonPath } from './json-path';
import { parseCsv, parseFeed, parseJson, parsePlain, parseStix, stixPatternValues } from './parsers';
import { csvOptionsSchema } from './schemas';

const sorted = (xs: string[]) => [...xs].sort();

describe('plain lists', () => {
  it('reads IPv4, IPv6, CIDRs and ranges, with # and ; comments, and counts bad lines', () => {
    const text = [
      '# FireHOL-style header',
      '; Spamhaus DROP 2026/12/04',
      '1.10.16.0/20 ; SBL256894',
      '192.0.2.1',
      '192.0.2.1', // duplicate
      '  198.51.100.7\t# inline comment',
      '2001:db8::/32',
      '2001:DB8:0:0:0:0:0:1',
      '203.0.113.10-203.0.113.20',
      '10.0.0.1/8', // host bits
      '',
      'not-an-ip',
      '300.1.1.1',
      '2001:db8::/129',
      '// a C-style comment line',
      '1.2.3.4 12', // IPsum: address then a score
    ].join('\r\n');
    const parsed = parsePlain(text, 'ip');
    expect(sorted(parsed.entries)).toEqual(sorted(['1.10.16.0/20', '192.0.2.1', '198.51.100.7', '2001:db8::/32', '2001:db8::1', '203.0.113.10-203.0.113.20', '10.0.0.0/8', '1.2.3.4']));
    expect(parsed.bad).toBe(3);
    expect(parsed.badSamples).toEqual(['not-an-ip', '300.1.1.1', '2001:db8::/129']);
  });

  it('reads domains, URLs and hosts files in a domain feed', () => {
    const text = ['# hosts', '127.0.0.1 localhost', '127.0.0.1\tmalware.example', '0.0.0.0 ads.example.org', 'https://login.phish.example/secure?x=1', 'Bücher.example', '*.wild.example', 'single-label', 'http://192.0.2.1/payload', 'bad..domain.com'].join('\n');
    const parsed = parsePlain(text, 'domain');
    expect(sorted(parsed.entries)).toEqual(sorted(['malware.example', 'ads.example.org', 'login.phish.example', 'xn--bcher-kva.example', 'wild.example']));
    expect(parsed.bad).toBe(2);
    expect(parsed.ignored).toBe(2); // localhost, and the IP host of a URL
  });
});

describe('CSV', () => {
  it("reads DShield's block.txt (tab-separated, header, Start + Netblock)", () => {
    const text = ['#   DShield.org Recommended Block List', '#   comment', 'Start\tEnd\tNetblock\tAttacks\tName\tCountry\temail', '192.0.2.0\t192.0.2.255\t24\t1234\tEXAMPLE\tZZ\tabuse@example.net', '198.51.100.0\t198.51.100.255\t24\t99\tX\tZZ\tx@example.net', 'garbage line'].join('\n');
    const parsed = parseCsv(text, 'ip', csvOptionsSchema.parse({ delimiter: '\t', column: 'Start', prefixColumn: 'Netblock' }));
    expect(parsed.entries).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
    expect(parsed.bad).toBe(1);
    const ranged = parseCsv(text, 'ip', csvOptionsSchema.parse({ delimiter: '\t', column: 'start', endColumn: 'End' }));
    expect(ranged.entries).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
  });

  it('handles quotes, numbered columns, netmasks, minimum scores and a missing column', () => {
    const text = ['ip,score,mask,note', '"192.0.2.1",5,255.255.255.255,"a, quoted ""note"""', '192.0.2.2,1,255.255.255.255,low', '192.0.2.0,9,255.255.255.0,net', '192.0.2.3,x,255.255.255.255,score not a number', '192.0.2.4,8,255.0.255.0,bad mask'].join('\n');
    const parsed = parseCsv(text, 'ip', csvOptionsSchema.parse({ column: '1', prefixColumn: 'mask', minColumn: 'score', minValue: 3 }));
    expect(parsed.entries).toEqual(['192.0.2.1', '192.0.2.0/24']);
    expect(parsed.bad).toBe(2);
    const missing = parseCsv(text, 'ip', csvOptionsSchema.parse({ column: 'address' }));
    expect(missing.entries).toEqual([]);
    expect(missing.badSamples[0]).toMatch(/no column "address"/);
    const sslbl = parseCsv('# Firstseen,DstIP,DstPort\n2026-01-01 10:00:00,203.0.113.5,443\n', 'ip', csvOptionsSchema.parse({ header: false, column: '2' }));
    expect(sslbl.entries).toEqual(['203.0.113.5']);
  });
});

describe('JSON', () => {
  it('evaluates the JSONPath subset', () => {
    const doc = { data: [{ ip: '1.1.1.1', tags: ['a'] }, { ip: '2.2.2.2', nested: { ip: '3.3.3.3' } }], 'odd key': 'x' };
    expect(evaluateJsonPath(compileJsonPath('$.data[*].ip'), doc)).toEqual(['1.1.1.1', '2.2.2.2']);
    expect(evaluateJsonPath(compileJsonPath('$..ip'), doc)).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(evaluateJsonPath(compileJsonPath("$['odd key']"), doc)).toEqual(['x']);
    expect(evaluateJsonPath(compileJsonPath('$.data[-1].ip'), doc)).toEqual(['2.2.2.2']);
    expect(() => compileJsonPath('data.ip')).toThrow(/starts with \$/);
    expect(() => compileJsonPath('$.data[?(@.ip)]')).toThrow(/unsupported/);
  });

  it('reads a JSON document (Feodo Tracker style) and counts non-string values', () => {
    const text = JSON.stringify([{ ip_address: '192.0.2.1', port: 443 }, { ip_address: '2001:db8::5' }, { ip_address: 'nope' }, { ip_address: 42 }, { other: 1 }]);
    const parsed = parseJson(text, 'ip', '$[*].ip_address');
    expect(parsed.entries).toEqual(['192.0.2.1', '2001:db8::5']);
    expect(parsed.bad).toBe(2);
  });

  it("reads JSON Lines (Spamhaus drop_v4.json) with its metadata line and a broken line", () => {
    const text = ['{"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}', '{"cidr":"1.19.0.0/16","sblid":"SBL434604","rir":"apnic"}', '{"cidr": broken', '{"type":"metadata","timestamp":1733300000,"size":2,"records":2,"copyright":"(c) 2026 The Spamhaus Project SLU"}'].join('\n');
    const parsed = parseJson(text, 'ip', '$.cidr');
    expect(parsed.entries).toEqual(['1.10.16.0/20', '1.19.0.0/16']);
    expect(parsed.bad).toBe(1);
    expect(parsed.ignored).toBe(1);
  });
});

describe('STIX 2.1', () => {
  const bundle = (objects: unknown[]) => JSON.stringify({ type: 'bundle', id: 'bundle--1', objects });
  const indicator = (pattern: string, extra: Record<string, unknown> = {}) => ({ type: 'indicator', spec_version: '2.1', id: `indicator--${Math.random()}`, pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...extra });

  it('extracts ipv4-addr, ipv6-addr and domain-name comparisons joined by OR', () => {
    expect(stixPatternValues("[ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value ISSUBSET '198.51.100.0/24']")).toEqual([
      { type: 'ipv4-addr', value: '192.0.2.1' },
      { type: 'ipv4-addr', value: '198.51.100.0/24' },
    ]);
    expect(stixPatternValues("[domain-name:value = 'evil.example'] OR [ipv6-addr:value = '2001:db8::/48']")).toHaveLength(2);
    expect(stixPatternValues("[ipv4-addr:value = '192.0.2.1' AND network-traffic:dst_port = 443]")).toBeNull();
    expect(stixPatternValues("[file:hashes.'SHA-256' = 'abc']")).toBeNull();
    expect(stixPatternValues("[ipv4-addr:value = '192.0.2.1'] WITHIN 300 SECONDS")).toBeNull();
  });

  it('reads a bundle: skips revoked, expired and non-STIX indicators, counts bad values', () => {
    const text = bundle([
      { type: 'identity', id: 'identity--1', name: 'publisher' },
      indicator("[ipv4-addr:value = '192.0.2.1']"),
      indicator("[ipv6-addr:value = '2001:db8::/32']"),
      indicator("[domain-name:value = 'evil.example']"),
      indicator("[ipv4-addr:value = '192.0.2.99']", { revoked: true }),
      indicator("[ipv4-addr:value = '192.0.2.98']", { valid_until: '2020-01-01T00:00:00Z' }),
      indicator('alert tcp any any', { pattern_type: 'snort' }),
      indicator("[ipv4-addr:value = '2001:db8::1']"), // wrong family
      indicator("[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']"),
      { type: 'indicator', id: 'indicator--x' },
    ]);
    const parsed = parseStix(text, 'ip');
    expect(sorted(parsed.entries)).toEqual(sorted(['192.0.2.1', '2001:db8::/32', 'evil.example']));
    expect(parsed.bad).toBe(2);
    expect(parsed.ignored).toBe(4);
    expect(parseStix('not json', 'ip').bad).toBe(1);
    expect(parseStix('{"type":"bundle"}', 'ip').badSamples[0]).toMatch(/not a STIX bundle/);
  });

  it('dispatches on the format', () => {
    expect(parseFeed('192.0.2.1\n', 'plain', 'ip').entries).toEqual(['192.0.2.1']);
    expect(parseFeed('a\n192.0.2.1\n', 'csv', 'ip', { csv: csvOptionsSchema.parse({ column: 'a' }) }).entries).toEqual(['192.0.2.1']);
  });
});

describe('domains', () => {
  it('normalises domains and hosts', () => {
    expect(normaliseDomain('Sub.Example.COM.')).toBe('sub.example.com');
    expect(normaliseDomain('localhost')).toBeNull();
    expect(normaliseDomain('192.0.2.1')).toBeNull();
    expect(normaliseDomain('-bad.example')).toBeNull();
    expect(hostOf('https://user:pw@host.example:8443/path')).toBe('host.example');
    expect(hostOf('http://[2001:db8::1]:80/')).toBe('2001:db8::1');
  });
});

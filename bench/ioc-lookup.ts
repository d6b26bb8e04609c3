/**
 * `npx tsx bench/ioc-lookup.ts [--entries 1000000] [--lookups 1000000] [--runs 5] [--json]`
 *
 * The IOC matcher (lib/threats/matcher.ts) at a million entries: random IPv4 addresses and
 * CIDRs (/16–/30) and IPv6 addresses and CIDRs (/32–/64), spread over 16 sources as feeds would
 * be. Prints the time to parse the stored canonical lines, the time to build the matcher, its
 * memory (the structure's own estimate, and the measured heap + array-buffer growth after a
 * forced GC), and lookups per second for hits and misses: from the client-address string (what
 * the guard does per request: parse + search) and from a pre-parsed IPv4 number (search only),
 * plus the full verdict (evaluateIp: lookup + allow/deny + policy). Medians over --runs.
 *
 * bench/run.ts can import `runIocBench` and add its figures to its table and JSON.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadLines } from '@/lib/threats/entries';
import { emptySnapshot, type SourceInfo } from '@/lib/threats/engine';
import { formatIPv4, formatIPv6, formatIpRange, parseIpRange } from '@/lib/threats/ip';
import { MatcherBuilder } from '@/lib/threats/matcher';
import { evaluateIp } from '@/lib/threats/verdict';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface IocBenchFigures {
  entries: number;
  mix: { ipv4Addresses: number; ipv4Cidrs: number; ipv6Addresses: number; ipv6Cidrs: number };
  parseMs: number;
  buildMs: number;
  segments: { ipv4: number; ipv6: number };
  matcherBytesEstimated: number;
  matcherBytesMeasured: number;
  lookupsPerSecond: { hitString: number; missString: number; hitV4Number: number; missV4Number: number; verdictHit: number; verdictMiss: number };
  nanosecondsPerLookup: { hitString: number; missString: number };
  hitRateCheck: { hitsFound: number; missesFound: number };
  node: string;
}

/** Deterministic PRNG (mulberry32) so runs compare. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeLoop(n: number, body: () => number): { seconds: number; found: number } {
  const start = process.hrtime.bigint();
  const found = body();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, found: found + 0 * n };
}

export function runIocBench(options: { entries?: number; lookups?: number; runs?: number; log?: (line: string) => void } = {}): IocBenchFigures {
  const total = options.entries ?? 1_000_000;
  const lookups = options.lookups ?? 1_000_000;
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const random = prng(20261204);
  const u32 = () => Math.floor(random() * 4294967296) >>> 0;
  const mix = { ipv4Addresses: Math.round(total * 0.6), ipv4Cidrs: Math.round(total * 0.2), ipv6Addresses: Math.round(total * 0.15), ipv6Cidrs: 0 };
  mix.ipv6Cidrs = total - mix.ipv4Addresses - mix.ipv4Cidrs - mix.ipv6Addresses;
  const rand6 = () => (BigInt(u32()) << 96n) | (BigInt(u32()) << 64n) | (BigInt(u32()) << 32n) | BigInt(u32());

  // What feeds store: canonical lines.
  log(`generating ${total.toLocaleString('en')} entries…`);
  const lines: string[] = new Array(total);
  let k = 0;
  for (let i = 0; i < mix.ipv4Addresses; i++) lines[k++] = formatIPv4(u32());
  for (let i = 0; i < mix.ipv4Cidrs; i++) lines[k++] = formatIpRange(parseIpRange(`${formatIPv4(u32())}/${16 + Math.floor(random() * 15)}`)!);
  for (let i = 0; i < mix.ipv6Addresses; i++) lines[k++] = formatIPv6(rand6());
  for (let i = 0; i < mix.ipv6Cidrs; i++) lines[k++] = formatIpRange(parseIpRange(`${formatIPv6(rand6())}/${32 + Math.floor(random() * 33)}`)!);

  gc();
  const parseStart = performance.now();
  const loaded = loadLines(lines);
  const parseMs = performance.now() - parseStart;

  // Build in a function so that only the matcher outlives it: the heap + array-buffer growth
  // measured after a forced GC is what the matcher holds.
  const SOURCES = 16;
  gc();
  const before = process.memoryUsage();
  const build = () => {
    const builder = new MatcherBuilder();
    for (let i = 0; i < loaded.v4Start.length; i++) builder.addV4(loaded.v4Start[i], loaded.v4End[i], i % SOURCES);
    loaded.v6.forEach((r, i) => builder.addV6(r.start, r.end, i % SOURCES));
    return builder.build();
  };
  const buildStart = performance.now();
  let matcher = build();
  const buildMs = performance.now() - buildStart;
  gc();
  const after = process.memoryUsage();
  const measured = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  log(`built in ${buildMs.toFixed(0)} ms: ${matcher.stats.segments.ipv4.toLocaleString('en')} IPv4 + ${matcher.stats.segments.ipv6.toLocaleString('en')} IPv6 segments`);

  // Queries: hits are addresses inside random entries; misses are random addresses the naive
  // check (the matcher itself, verified by the unit tests against a scan) says are unlisted.
  const n4 = loaded.v4Start.length;
  const hitStrings: string[] = [];
  const hitNumbers = new Uint32Array(lookups);
  for (let i = 0; i < lookups; i++) {
    if (i % 5 === 4 && loaded.v6.length) {
      const r = loaded.v6[Math.floor(random() * loaded.v6.length)];
      const span = r.end - r.start;
      hitStrings.push(formatIPv6(r.start + (span > 0n ? BigInt(Math.floor(random() * 1e9)) % (span + 1n) : 0n)));
    } else {
      const j = Math.floor(random() * n4);
      const ip = loaded.v4Start[j] + Math.floor(random() * (loaded.v4End[j] - loaded.v4Start[j] + 1));
      hitStrings.push(formatIPv4(ip));
    }
    const j = Math.floor(random() * n4);
    hitNumbers[i] = loaded.v4Start[j];
  }
  const missStrings: string[] = [];
  const missNumbers = new Uint32Array(lookups);
  let m = 0;
  while (missStrings.length < lookups) {
    if (missStrings.length % 5 === 4) {
      const s = formatIPv6(rand6());
      if (!matcher.lookupIp(s)) missStrings.push(s);
    } else {
      const ip = u32();
      if (!matcher.lookupV4(ip)) {
        missStrings.push(formatIPv4(ip));
        if (m < lookups) missNumbers[m++] = ip;
      }
    }
  }
  while (m < lookups) {
    const ip = u32();
    if (!matcher.lookupV4(ip)) missNumbers[m++] = ip;
  }

  const sources: SourceInfo[] = Array.from({ length: SOURCES }, (_, i) => ({ kind: 'feed', list: 'deny', tenantId: null, name: `feed-${i}`, feedId: `f${i}`, action: null, expiresAt: null }));
  const snapshot = { ...emptySnapshot(), matcher, sources, loaded: true };

  const rates = { hitString: [] as number[], missString: [] as number[], hitV4Number: [] as number[], missV4Number: [] as number[], verdictHit: [] as number[], verdictMiss: [] as number[] };
  let hitsFound = 0;
  let missesFound = 0;
  for (let run = 0; run < runs; run++) {
    let r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (matcher.lookupIp(hitStrings[i])) f++;
      return f;
    });
    hitsFound = r.found;
    rates.hitString.push(lookups / r.seconds);
    r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (matcher.lookupIp(missStrings[i])) f++;
      return f;
    });
    missesFound = r.found;
    rates.missString.push(lookups / r.seconds);
    r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (matcher.lookupV4(hitNumbers[i])) f++;
      return f;
    });
    rates.hitV4Number.push(lookups / r.seconds);
    r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (matcher.lookupV4(missNumbers[i])) f++;
      return f;
    });
    rates.missV4Number.push(lookups / r.seconds);
    r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (evaluateIp(hitStrings[i], null, snapshot).verdict === 'block') f++;
      return f;
    });
    rates.verdictHit.push(lookups / r.seconds);
    r = timeLoop(lookups, () => {
      let f = 0;
      for (let i = 0; i < lookups; i++) if (evaluateIp(missStrings[i], null, snapshot).verdict === 'block') f++;
      return f;
    });
    rates.verdictMiss.push(lookups / r.seconds);
    log(`run ${run + 1}/${runs}: hits ${Math.round(rates.hitString[run]).toLocaleString('en')}/s, misses ${Math.round(rates.missString[run]).toLocaleString('en')}/s`);
  }
  const lookupsPerSecond = Object.fromEntries(Object.entries(rates).map(([key, xs]) => [key, Math.round(median(xs))])) as IocBenchFigures['lookupsPerSecond'];
  const figures: IocBenchFigures = {
    entries: total,
    mix,
    parseMs: Math.round(parseMs),
    buildMs: Math.round(buildMs),
    segments: matcher.stats.segments,
    matcherBytesEstimated: matcher.stats.bytes,
    matcherBytesMeasured: measured,
    lookupsPerSecond,
    nanosecondsPerLookup: { hitString: Math.round(1e9 / lookupsPerSecond.hitString), missString: Math.round(1e9 / lookupsPerSecond.missString) },
    hitRateCheck: { hitsFound, missesFound },
    node: process.version,
  };
  matcher = undefined as never;
  if (lines.length !== total) throw new Error('generator bug');
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { entries: { type: 'string' }, lookups: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } } });
  const figures = runIocBench({
    entries: values.entries ? Number(values.entries) : undefined,
    lookups: values.lookups ? Number(values.lookups) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
    log: values.json ? undefined : (line) => console.error(`  ${line}`),
  });
  if (values.json) console.log(JSON.stringify(figures));
  else {
    const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
    const rate = (r: number) => `${(r / 1e6).toFixed(2)} M/s`;
    console.log(`\nIOC matcher, ${figures.entries.toLocaleString('en')} entries (${figures.mix.ipv4Addresses.toLocaleString('en')} IPv4 addresses, ${figures.mix.ipv4Cidrs.toLocaleString('en')} IPv4 CIDRs, ${figures.mix.ipv6Addresses.toLocaleString('en')} IPv6 addresses, ${figures.mix.ipv6Cidrs.toLocaleString('en')} IPv6 CIDRs), Node ${figures.node}`);
    console.table({
      'parse stored lines': `${figures.parseMs} ms`,
      'build matcher': `${figures.buildMs} ms`,
      segments: `${figures.segments.ipv4.toLocaleString('en')} IPv4 + ${figures.segments.ipv6.toLocaleString('en')} IPv6`,
      'memory (estimate)': mib(figures.matcherBytesEstimated),
      'memory (measured heap + buffers)': mib(figures.matcherBytesMeasured),
      'lookups, hits (from string)': `${rate(figures.lookupsPerSecond.hitString)} (${figures.nanosecondsPerLookup.hitString} ns each)`,
      'lookups, misses (from string)': `${rate(figures.lookupsPerSecond.missString)} (${figures.nanosecondsPerLookup.missString} ns each)`,
      'lookups, IPv4 hits (number)': rate(figures.lookupsPerSecond.hitV4Number),
      'lookups, IPv4 misses (number)': rate(figures.lookupsPerSecond.missV4Number),
      'verdicts, hits (evaluateIp)': rate(figures.lookupsPerSecond.verdictHit),
      'verdicts, misses (evaluateIp)': rate(figures.lookupsPerSecond.verdictMiss),
    });
    console.log(`check: ${figures.hitRateCheck.hitsFound.toLocaleString('en')} of the hit queries matched, ${figures.hitRateCheck.missesFound} of the miss queries matched (expected: all, 0)`);
  }
}

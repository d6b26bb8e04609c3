import { bigIntToWords, parseClientIp, type IpRange } from './ip';

/**
 * The IOC lookup structure: immutable once built, shared by reference, rebuilt and swapped whole.
 *
 * IP ranges of every source (feeds, manual lists; each source has a numeric id) are cut into
 * disjoint segments by a sweep line, each segment labelled with the set of sources covering it,
 * and adjacent segments with the same set merged. A lookup is one binary search over sorted
 * segment starts: O(log n) with no allocation, about 20 comparisons for a million ranges.
 *
 * - IPv4: three Uint32Arrays (start, end, set id): 12 bytes a segment.
 * - IPv6: start and end as four 32-bit words each, plus the set id: 36 bytes a segment.
 * - Domains: a Map from the domain to its set id; a lookup walks the parents
 *   (a.b.evil.example → b.evil.example → evil.example).
 * - Source sets are interned: a million single-feed entries share one set per feed.
 */
export class IocMatcher {
  /** bucket[b]: segments whose start is below b·2^16, so a lookup searches one /16's segments. */
  private readonly v4Bucket: Uint32Array;

  constructor(
    private readonly v4Starts: Uint32Array,
    private readonly v4Ends: Uint32Array,
    private readonly v4Sets: Uint32Array,
    private readonly v6Starts: Uint32Array,
    private readonly v6Ends: Uint32Array,
    private readonly v6Sets: Uint32Array,
    private readonly domains: Map<string, number>,
    private readonly sets: readonly (readonly number[])[],
    readonly stats: MatcherStats,
  ) {
    this.v4Bucket = new Uint32Array(65537);
    let k = 0;
    for (let b = 0; b <= 65536; b++) {
      const boundary = b * 65536;
      while (k < v4Starts.length && v4Starts[k] < boundary) k++;
      this.v4Bucket[b] = k;
    }
    stats.bytes += this.v4Bucket.byteLength;
  }

  static empty(): IocMatcher {
    return new MatcherBuilder().build();
  }

  /** Sources whose IPv4 ranges contain `ip` (an unsigned 32-bit number), or null. */
  lookupV4(ip: number): readonly number[] | null {
    const starts = this.v4Starts;
    const bucket = ip >>> 16;
    let lo = this.v4Bucket[bucket];
    let hi = this.v4Bucket[bucket + 1] - 1;
    // The last segment whose start is <= ip (every segment before `lo` starts below the bucket).
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= ip) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || this.v4Ends[hi] < ip) return null;
    return this.sets[this.v4Sets[hi]];
  }

  /** Sources whose IPv6 ranges contain the address given as four 32-bit words, or null. */
  lookupV6(words: ArrayLike<number>): readonly number[] | null {
    const starts = this.v6Starts;
    let lo = 0;
    let hi = starts.length / 4 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(starts, mid * 4, words) <= 0) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || compareWords(this.v6Ends, hi * 4, words) < 0) return null;
    return this.sets[this.v6Sets[hi]];
  }

  /** Sources listing this client address (canonical text, IPv4-mapped IPv6 counts as IPv4). */
  lookupIp(ip: string): readonly number[] | null {
    const words = LOOKUP_WORDS;
    const family = parseClientIp(ip, words);
    if (family === 4) return this.lookupV4(words[3]);
    if (family === 6) return this.lookupV6(words);
    return null;
  }

  /** Sources listing the domain or any parent of it (never the bare top-level label). */
  lookupDomain(domain: string): number[] | null {
    let found: number[] | null = null;
    let at = 0;
    for (;;) {
      const next = domain.indexOf('.', at);
      if (next < 0) break; // a bare TLD is never an entry
      const set = this.domains.get(at === 0 ? domain : domain.slice(at));
      if (set !== undefined) found = found ? union(found, this.sets[set]) : [...this.sets[set]];
      at = next + 1;
    }
    return found;
  }
}

const LOOKUP_WORDS = new Uint32Array(4);

function compareWords(array: Uint32Array, offset: number, words: ArrayLike<number>): number {
  for (let k = 0; k < 4; k++) {
    const a = array[offset + k];
    const b = words[k];
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

function union(a: number[], b: readonly number[]): number[] {
  for (const x of b) if (!a.includes(x)) a.push(x);
  return a;
}

export interface MatcherStats {
  /** Ranges and domains as added (before merging). */
  entries: { ipv4: number; ipv6: number; domain: number };
  /** Disjoint segments after the sweep. */
  segments: { ipv4: number; ipv6: number };
  sets: number;
  /** Estimated heap the structure holds: typed arrays exactly, the domain map approximately. */
  bytes: number;
  buildMs: number;
}

/** Growable Uint32 column. */
class Column {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number) {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  view() {
    return this.data.subarray(0, this.length);
  }
}

/** Ranges per family at most (a bound on memory: about 50 MB of build arrays per family). */
export const MAX_RANGES_PER_FAMILY = 4_000_000;

export class MatcherBuilder {
  private v4Start = new Column();
  private v4End = new Column();
  private v4Source = new Column();
  private v6Start: bigint[] = [];
  private v6End: bigint[] = [];
  private v6Source: number[] = [];
  private domains = new Map<string, number | number[]>();
  /** Ranges refused because a family is full. */
  dropped = 0;

  addRange(range: IpRange, source: number) {
    if (range.family === 4) this.addV4(range.start, range.end, source);
    else this.addV6(range.start, range.end, source);
  }

  addV4(start: number, end: number, source: number) {
    if (this.v4Start.length >= MAX_RANGES_PER_FAMILY) {
      this.dropped++;
      return;
    }
    this.v4Start.push(start);
    this.v4End.push(end);
    this.v4Source.push(source);
  }

  addV6(start: bigint, end: bigint, source: number) {
    if (this.v6Start.length >= MAX_RANGES_PER_FAMILY) {
      this.dropped++;
      return;
    }
    this.v6Start.push(start);
    this.v6End.push(end);
    this.v6Source.push(source);
  }

  /** `domain` must already be normalised (lib/threats/domain.ts). */
  addDomain(domain: string, source: number) {
    const existing = this.domains.get(domain);
    if (existing === undefined) this.domains.set(domain, source);
    else if (typeof existing === 'number') {
      if (existing !== source) this.domains.set(domain, [existing, source]);
    } else if (!existing.includes(source)) existing.push(source);
  }

  /** Builds in one go (tests, benchmarks). */
  build(): IocMatcher {
    const steps = this.buildSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * Builds in slices of about 64k intervals, yielding to the event loop between them, so that
   * a rebuild of a million entries never stalls requests (which keep using the old matcher).
   */
  async buildAsync(): Promise<IocMatcher> {
    const steps = this.buildSteps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private *buildSteps(): Generator<void, IocMatcher> {
    const started = performance.now();
    const sets = new SetInterner();
    const v4 = yield* sweep(this.v4Start.view(), this.v4End.view(), this.v4Source.view(), sets);
    yield;

    // IPv6: compress the 128-bit boundaries to ranks, sweep in rank space, map back.
    const n6 = this.v6Start.length;
    let v6Starts = new Uint32Array(0);
    let v6Ends = new Uint32Array(0);
    let v6Sets: Uint32Array = new Uint32Array(0);
    if (n6 > 0) {
      const boundaries: bigint[] = new Array(n6 * 2);
      for (let i = 0; i < n6; i++) {
        boundaries[2 * i] = this.v6Start[i];
        boundaries[2 * i + 1] = this.v6End[i] + 1n;
      }
      boundaries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const coords: bigint[] = [];
      for (const b of boundaries) if (coords.length === 0 || coords[coords.length - 1] !== b) coords.push(b);
      // Ranks by binary search: a Map keyed by BigInt degenerates (V8 hashes a BigInt by its
      // low digit, and IPv6 networks share their low 64 bits), which made this quadratic.
      const rank = (value: bigint) => {
        let lo = 0;
        let hi = coords.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (coords[mid] < value) lo = mid + 1;
          else hi = mid;
        }
        return lo;
      };
      const rs = new Uint32Array(n6);
      const re = new Uint32Array(n6);
      for (let i = 0; i < n6; i++) {
        rs[i] = rank(this.v6Start[i]);
        re[i] = rank(this.v6End[i] + 1n) - 1;
      }
      yield;
      const ranked = yield* sweep(rs, re, Uint32Array.from(this.v6Source), sets);
      const count = ranked.starts.length;
      v6Starts = new Uint32Array(count * 4);
      v6Ends = new Uint32Array(count * 4);
      for (let i = 0; i < count; i++) {
        bigIntToWords(coords[ranked.starts[i]], v6Starts, i * 4);
        bigIntToWords(coords[ranked.ends[i] + 1] - 1n, v6Ends, i * 4);
      }
      v6Sets = ranked.sets;
    }

    const domains = new Map<string, number>();
    let domainBytes = 0;
    let count = 0;
    for (const [domain, sources] of this.domains) {
      if (++count % 65_536 === 0) yield;
      domains.set(domain, typeof sources === 'number' ? sets.single(sources) : sets.of(sources));
      // V8: a Map entry ~ 3 pointers + hash; a one-byte string ~ 16 bytes header + its length.
      domainBytes += 40 + 16 + domain.length;
    }
    const setList = sets.list();
    const bytes =
      v4.starts.byteLength + v4.ends.byteLength + v4.sets.byteLength + v6Starts.byteLength + v6Ends.byteLength + v6Sets.byteLength + domainBytes + setList.reduce((t, s) => t + 16 + 8 * s.length, 0);
    return new IocMatcher(v4.starts, v4.ends, v4.sets, v6Starts, v6Ends, v6Sets, domains, setList, {
      entries: { ipv4: this.v4Start.length, ipv6: n6, domain: this.domains.size },
      segments: { ipv4: v4.starts.length, ipv6: v6Sets.length },
      sets: setList.length,
      bytes,
      buildMs: performance.now() - started,
    });
  }
}

class SetInterner {
  private byKey = new Map<string, number>();
  private bySingle = new Map<number, number>();
  private sets: number[][] = [];
  single(source: number): number {
    let id = this.bySingle.get(source);
    if (id === undefined) {
      id = this.of([source]);
      this.bySingle.set(source, id);
    }
    return id;
  }
  of(sources: number[]): number {
    const sorted = [...new Set(sources)].sort((a, b) => a - b);
    if (sorted.length === 1 && this.bySingle.has(sorted[0])) return this.bySingle.get(sorted[0])!;
    const key = sorted.join(',');
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(sorted);
      this.byKey.set(key, id);
      if (sorted.length === 1) this.bySingle.set(sorted[0], id);
    }
    return id;
  }
  list() {
    return this.sets;
  }
}

/** Indices 0..n-1 ordered by key (stable LSD radix sort, two 16-bit passes): O(n). */
function radixOrder(key: Uint32Array): Uint32Array {
  const n = key.length;
  let order = new Uint32Array(n);
  let scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((key[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < n; i++) {
      const idx = order[i];
      scratch[counts[(key[idx] >>> shift) & 0xffff]++] = idx;
    }
    [order, scratch] = [scratch, order];
  }
  return order;
}

/** A binary min-heap of interval indices, keyed by their end. */
class EndHeap {
  private data: Uint32Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly end: Uint32Array,
  ) {
    this.data = new Uint32Array(Math.max(capacity, 1));
  }
  minEnd() {
    return this.end[this.data[0]];
  }
  at(index: number) {
    return this.data[index];
  }
  push(index: number) {
    const d = this.data;
    const value = this.end[index];
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.end[d[parent]] <= value) break;
      d[i] = d[parent];
      i = parent;
    }
    d[i] = index;
  }
  pop(): number {
    const d = this.data;
    const top = d[0];
    const last = d[--this.size];
    const lastEnd = this.end[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.end[d[child + 1]] < this.end[d[child]]) child++;
      if (this.end[d[child]] >= lastEnd) break;
      d[i] = d[child];
      i = child;
    }
    d[i] = last;
    return top;
  }
}

/**
 * Sweep line over inclusive integer intervals (coordinates < 2^32): disjoint segments, each with
 * the interned set of sources covering it, adjacent equal segments merged. O(n log k) for k
 * overlapping intervals, after an O(n) radix sort.
 */
function* sweep(start: Uint32Array, end: Uint32Array, source: Uint32Array, sets: SetInterner): Generator<void, { starts: Uint32Array; ends: Uint32Array; sets: Uint32Array }> {
  const n = start.length;
  let maxSource = 0;
  for (let i = 0; i < n; i++) if (source[i] > maxSource) maxSource = source[i];
  const order = radixOrder(start);
  const heap = new EndHeap(n, end);
  // Active intervals per source; with one distinct source active, `sum` is that source.
  const counts = new Int32Array(maxSource + 1);
  let distinct = 0;
  let sum = 0;
  let dirty = true;
  let current = -1;
  const setNow = () => {
    if (dirty) {
      if (distinct === 1) current = sets.single(sum);
      else {
        const active: number[] = [];
        for (let h = 0; h < heap.size; h++) active.push(source[heap.at(h)]);
        current = sets.of(active);
      }
      dirty = false;
    }
    return current;
  };
  const outStart = new Column();
  const outEnd = new Column();
  const outSet = new Column();
  const emit = (a: number, b: number, set: number) => {
    const last = outStart.length - 1;
    if (last >= 0 && outSet.data[last] === set && outEnd.data[last] + 1 === a) outEnd.data[last] = b;
    else {
      outStart.push(a);
      outEnd.push(b);
      outSet.push(set);
    }
  };
  const close = (e: number) => {
    while (heap.size > 0 && heap.minEnd() === e) {
      const src = source[heap.pop()];
      if (--counts[src] === 0) {
        distinct--;
        sum -= src;
      }
      dirty = true;
    }
  };
  let pos = 0;
  for (let k = 0; k < n; k++) {
    if ((k & 0xffff) === 0xffff) yield;
    const i = order[k];
    const s = start[i];
    while (heap.size > 0) {
      const e = heap.minEnd();
      if (e >= s) break;
      if (pos <= e) emit(pos, e, setNow());
      pos = e + 1;
      close(e);
    }
    if (heap.size > 0 && pos < s) emit(pos, s - 1, setNow());
    pos = s;
    heap.push(i);
    const src = source[i];
    if (counts[src]++ === 0) {
      distinct++;
      sum += src;
    }
    dirty = true;
  }
  while (heap.size > 0) {
    const e = heap.minEnd();
    if (pos <= e) emit(pos, e, setNow());
    pos = e + 1;
    close(e);
  }
  return { starts: outStart.view().slice(), ends: outEnd.view().slice(), sets: outSet.view().slice() };
}

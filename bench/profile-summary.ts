/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--match text] [--callers fn --depth 6]`
 *
 * Summarises a V8 CPU profile (as written by `npm run bench -- --profile`): self time by
 * package / area, the hottest functions by self time, and with --match the inclusive time of
 * every frame whose function or file contains the text; with --callers the stacks under which a
 * function spends its self time.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, match: { type: 'string', multiple: true }, callers: { type: 'string', multiple: true }, depth: { type: 'string', default: '6' } } });
if (!positionals[0]) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--match text]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from samples × time deltas (µs).
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(lib\/[^/]+|app|server\.ts|e2e|bench|\.next\/[^/]+)/.exec(url);
  return m ? m[1] : url;
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/\/work\/main\//, '')}:${n.callFrame.lineNumber + 1}`;

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const a = area(n.callFrame.url, n.callFrame.functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const f = label(n);
  functions.set(f, (functions.get(f) ?? 0) + us);
}
const top = Number(values.top);
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by area');
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us)}  ${a}`);
console.log('\nself time by function');
for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);

for (const text of values.match ?? []) {
  // Inclusive: a sample counts once if any frame on its stack matches.
  let inclusive = 0;
  const memo = new Map<number, boolean>();
  const matches = (id: number): boolean => {
    if (memo.has(id)) return memo.get(id)!;
    const n = byId.get(id)!;
    const hit = n.callFrame.functionName.includes(text) || n.callFrame.url.includes(text) || (parent.has(id) ? matches(parent.get(id)!) : false);
    memo.set(id, hit);
    return hit;
  };
  for (const [id, us] of self) if (matches(id)) inclusive += us;
  console.log(`\ninclusive time of frames matching "${text}": ${pct(inclusive)}`);
}

for (const name of values.callers ?? []) {
  // The stacks (innermost first, a few frames up) under which a function spends its self time.
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName !== name) continue;
    const frames: string[] = [];
    let p = parent.get(id);
    while (p !== undefined && frames.length < Number(values.depth)) {
      const f = byId.get(p)!;
      if (f.callFrame.functionName || f.callFrame.url) frames.push(label(f));
      p = parent.get(p);
    }
    const key = frames.join('\n        ← ');
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  console.log(`\ncallers of "${name}" (self time)`);
  for (const [key, us] of [...stacks].sort((x, y) => y[1] - x[1]).slice(0, 6)) console.log(`  ${pct(us)}  ← ${key}`);
}

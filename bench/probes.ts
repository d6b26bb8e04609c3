/**
 * Where the CPU goes during a measurement window: the load generator (this process), the
 * server under test (its process tree), Postgres (every `postgres` process) and the whole
 * machine, read from /proc (Linux). Figures are % of one core; the machine has os.cpus() cores.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep the usual 100 */
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number; // utime + stime
}

function readProc(pid: number): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // fields[0] is state (field 3); ppid is field 4, utime 14, stime 15.
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function allProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name));
    if (stat) out.push(stat);
  }
  return out;
}

/** The pid of a direct child of this process whose command line contains `marker`. */
export function findChildPid(marker: string): number | undefined {
  for (const proc of allProcs()) {
    if (proc.ppid !== process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(marker)) return proc.pid;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

function treeTicks(procs: ProcStat[], root: number | undefined): number {
  if (root === undefined) return 0;
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let total = 0;
  const stack = procs.filter((p) => p.pid === root);
  while (stack.length) {
    const p = stack.pop()!;
    total += p.ticks;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return total;
}

function systemTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: bigint;
  self: NodeJS.CpuUsage;
  target: number;
  postgres: number;
  system: { busy: number; total: number };
}

export interface CpuShare {
  /** This process (the load generator), from process.cpuUsage(), % of one core. */
  generator: number;
  /** The process tree under test, % of one core. */
  target: number;
  /** All postgres processes, % of one core. */
  postgres: number;
  /** Whole machine busy, % of one core (so 200 = both cores of a 2-core machine). */
  system: number;
}

export function sampleCpu(targetPid: number | undefined): CpuSample {
  const procs = allProcs();
  return {
    at: process.hrtime.bigint(),
    self: process.cpuUsage(),
    target: treeTicks(procs, targetPid),
    postgres: procs.filter((p) => p.comm === 'postgres').reduce((sum, p) => sum + p.ticks, 0),
    system: systemTicks(),
  };
}

export function cpuBetween(a: CpuSample, b: CpuSample, cores: number): CpuShare {
  const seconds = Number(b.at - a.at) / 1e9;
  const selfMicros = b.self.user - a.self.user + (b.self.system - a.self.system);
  const pct = (ticks: number) => (100 * ticks) / clockTicks / seconds;
  const systemTotal = b.system.total - a.system.total;
  return {
    generator: (100 * selfMicros) / 1e6 / seconds,
    target: pct(b.target - a.target),
    postgres: pct(b.postgres - a.postgres),
    system: systemTotal > 0 ? (100 * cores * (b.system.busy - a.system.busy)) / systemTotal : 0,
  };
}

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

/** The pid of a direct child of this process whose command line contains `marker` (other than `except`). */
export function findChildPid(marker: string, except: (number | undefined)[] = []): number | undefined {
  for (const proc of allProcs()) {
    if (proc.ppid !== process.pid || except.includes(proc.pid)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(marker)) return proc.pid;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

function treeTicks(procs: ProcStat[], root: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (root === undefined) return out;
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const stack = procs.filter((p) => p.pid === root);
  while (stack.length) {
    const p = stack.pop()!;
    out.set(p.pid, p.ticks);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/**
 * Postgres processes that serve the bench: backends connected to `database` and the shared
 * background processes (WAL writer, checkpointer…). Backends of other databases are left out:
 * the Postgres server may be shared with other work.
 */
function postgresTicks(procs: ProcStat[], database: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of procs) {
    if (p.comm !== 'postgres') continue;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    // A backend reads "postgres: 15/main: user database host(port) state"; others have no host.
    const backend = /^postgres: \S+: (\S+) (\S+) (\S+\(\d+\)|\[local\])/.exec(cmdline);
    if (backend && backend[2] !== database) continue;
    out.set(p.pid, p.ticks);
  }
  return out;
}

function systemTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface Watched {
  /** Our server's pid (its whole process tree is counted). */
  server?: number;
  /** The bare baseline's pid. */
  bare?: number;
  /** The bench database's name, to attribute Postgres backends. */
  database?: string;
}

export interface CpuSample {
  at: bigint;
  self: NodeJS.CpuUsage;
  server: Map<number, number>;
  bare: Map<number, number>;
  postgres: Map<number, number>;
  all: Map<number, number>;
  system: { busy: number; total: number };
}

/** % of one core over a window. */
export interface CpuShare {
  /** This process (the load generator), from process.cpuUsage(). */
  generator: number;
  /** Our server's process tree. */
  server: number;
  /** The bare baseline process. */
  bare: number;
  /** Postgres: the bench database's backends and the shared background processes. */
  postgres: number;
  /** The whole machine busy (so 200 = both cores of a 2-core machine). */
  system: number;
  /** The machine's busy time outside the above: other work (another test run, a build…), the kernel. */
  other: number;
  /** The part of `other` in processes alive at both ends of the window. */
  otherProcesses: number;
}

export function sampleCpu(watched: Watched): CpuSample {
  const procs = allProcs();
  return {
    at: process.hrtime.bigint(),
    self: process.cpuUsage(),
    server: treeTicks(procs, watched.server),
    bare: treeTicks(procs, watched.bare),
    postgres: postgresTicks(procs, watched.database),
    all: new Map(procs.map((p) => [p.pid, p.ticks])),
    system: systemTicks(),
  };
}

/** Ticks spent between two samples by the processes of `b` (new ones count from zero; exited ones are lost). */
function delta(a: Map<number, number>, b: Map<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of b) total += Math.max(0, ticks - (a.get(pid) ?? 0));
  return total;
}

export function cpuBetween(a: CpuSample, b: CpuSample, cores: number): CpuShare {
  const seconds = Number(b.at - a.at) / 1e9;
  const selfMicros = b.self.user - a.self.user + (b.self.system - a.self.system);
  const pct = (ticks: number) => (100 * ticks) / clockTicks / seconds;
  const systemTotal = b.system.total - a.system.total;
  const share = {
    generator: (100 * selfMicros) / 1e6 / seconds,
    server: pct(delta(a.server, b.server)),
    bare: pct(delta(a.bare, b.bare)),
    postgres: pct(delta(a.postgres, b.postgres)),
    system: systemTotal > 0 ? (100 * cores * (b.system.busy - a.system.busy)) / systemTotal : 0,
  };
  const self = new Map([[process.pid, a.all.get(process.pid) ?? 0]]);
  const selfNow = new Map([[process.pid, b.all.get(process.pid) ?? 0]]);
  const accounted = delta(a.server, b.server) + delta(a.bare, b.bare) + delta(a.postgres, b.postgres) + delta(self, selfNow);
  const otherProcesses = Math.max(0, pct(delta(a.all, b.all)) - pct(accounted));
  const other = Math.max(0, share.system - share.generator - share.server - share.bare - share.postgres);
  return { ...share, other, otherProcesses };
}

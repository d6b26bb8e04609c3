/**
 * `npm run bench [-- --duration 10 --runs 3 --connections 16 --concurrency 16 --warmup 3]`
 *
 * Throughput of our product on loopback, next to a bare oidc-provider baseline measured in the
 * same run (see ARCHITECTURE.md, "Benchmarks"):
 *   1. client-credentials grants/s (autocannon), ours vs bare (same JWT RS256 access tokens);
 *   2. refresh-token grants/s (autocannon, rotation on: every connection chains its own refresh
 *      token through setupRequest/onResponse), ours vs bare;
 *   3. complete password sign-ins/s (authorize → login → consent → code exchange), a concurrent
 *      loop of keep-alive node:http sign-in clients in this process (bench/lean-browser.ts).
 * Medians over --runs runs of --duration seconds after a warm-up; the load generator shares the
 * machine's cores with the servers and Postgres, so its own CPU is reported with every figure.
 * Prints a table and writes bench/results/<timestamp>.json.
 *
 * After the runs, the database work per operation is counted exactly (sequential operations on
 * a quiet server; about 45 s; --skip-db-probe skips it).
 *
 *   4. guards: client-credentials grants/s on our server with the rate-limit + threat checks on,
 *      and on a second instance of ours (same database) started with RATE_LIMIT_ENABLED=false and
 *      THREAT_INTEL_ENABLED=false; printed as the ratio guards on / guards off. The guards-on
 *      server counts every request against a policy counter in Postgres (a limit too high to trip;
 *      points taken in blocks, as for every limit of 100 or more: lib/ratelimit/lease.ts) and
 *      has a manual deny-list CIDR loaded in its IOC matcher, so both lookups are real;
 *   5. ioc: the IOC matcher with 1,000,000 entries loaded, in this process (bench/ioc-lookup.ts):
 *      lookups/s and memory.
 * Other flags: --only cc,refresh,login,guards,ioc (a subset); --profile (CPU profiles of our server for each
 * measured window, in bench/results/profile-*; summarise with bench/profile-summary.ts);
 * --build (run the build step, which rebuilds when sources are newer than the build); --strict (exit 3
 * when a target is missed); --quiet-wait S (before each window, wait up to S seconds, default 30,
 * for other work on the machine to calm down; 0 disables). NEXT_DIST_DIR picks the build
 * directory, as for the server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { basicAuth, FORM, jwtHeader, signInAndExchange, tokenRequest, type ConfidentialClient, type SignInTarget } from './flows';
import type { IocBenchFigures } from './ioc-lookup';
import { measurePasswordCeiling, type PasswordCeiling } from './password-ceiling';
import { describeDatabaseUrl, localPostgresUrl } from './local-postgres';
import { cpuBetween, findChildPid, sampleCpu, type CpuShare, type Watched } from './probes';

const root = path.resolve(import.meta.dirname, '..');
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const TTL = 3600;
const TARGETS = { ccPerSecond: 1000, ccRatio: 0.6, refreshPerSecond: 500, loginsPerSecond: 60 };
/** Ours (guards on) runs with this limit (e2e/support/server.ts's default too): counted on every request, never reached. */
const RATE_LIMIT_PER_MINUTE_ON = '1000000';
/** A documentation range (RFC 5737): gives the guards-on server's matcher an entry; no bench request comes from it. */
const GUARD_DENY_CIDR = '203.0.113.0/24';
const IOC_ENTRIES = 1_000_000;
const IOC_RUNS = 3;

// ---------------------------------------------------------------------------------------------
// Options

const { values: argv } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string', default: 'cc,refresh,login,guards,ioc' },
    profile: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    'skip-db-probe': { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '30' },
  },
  strict: true,
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (got "${value}")`);
  return n;
}
const opts = {
  duration: positive('duration', argv.duration),
  runs: Math.round(positive('runs', argv.runs)),
  connections: Math.round(positive('connections', argv.connections)),
  concurrency: Math.round(positive('concurrency', argv.concurrency)),
  warmup: Number(argv.warmup) >= 0 ? Number(argv.warmup) : 3,
  only: new Set(argv.only!.split(',').map((s) => s.trim())),
  profile: argv.profile!,
  build: argv.build!,
  strict: argv.strict!,
  skipDbProbe: argv['skip-db-probe']!,
  quietWait: Number(argv['quiet-wait']) >= 0 ? Number(argv['quiet-wait']) : 30,
};
for (const name of opts.only) if (!['cc', 'refresh', 'login', 'guards', 'ioc'].includes(name)) throw new Error(`--only: unknown scenario "${name}"`);

const CORES = os.cpus().length;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(root, 'bench/results');

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started is stopped, and the database dropped, on success, error or ^C.

const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup (${step.name}) failed:`, error instanceof Error ? error.message : error);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers and dropping the bench database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The Next build the server runs from: NEXT_DIST_DIR (see next.config.ts) or .next. */
const distDir = path.join(root, process.env.NEXT_DIST_DIR || '.next');

/** Pids of `next build` processes running in this checkout (another session's build, say). */
function runningBuilds(): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.endsWith('next') || a.endsWith('next/dist/bin/next')) && cmdline.includes('build') && fs.realpathSync(`/proc/${name}/cwd`) === root) pids.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

async function ensureBuild() {
  const buildId = path.join(distDir, 'BUILD_ID');
  if (!opts.build && !fs.existsSync(buildId)) {
    // Never race another build into the same directory: wait for it, then look again.
    for (let waited = 0; runningBuilds().length && waited < 600; waited += 5) {
      if (waited === 0) console.log(`A next build is running in this checkout (pid ${runningBuilds().join(', ')}); waiting for it…`);
      await sleep(5_000);
    }
  }
  if (opts.build || !fs.existsSync(buildId)) {
    if (runningBuilds().length) throw new Error(`another next build is still running in this checkout (pid ${runningBuilds().join(', ')}); not starting a second one`);
    console.log(fs.existsSync(buildId) ? 'Building (--build)…' : `No production build (${path.relative(root, buildId)}): building…`);
    const { prepare } = await import('../scripts/prepare');
    prepare(); // generates the Prisma client and runs next build when their inputs changed
    if (!fs.existsSync(buildId)) throw new Error(`the build did not produce ${path.relative(root, buildId)}`);
    return;
  }
  // Sign-in pages run from the build; token endpoints run from source (server.ts under tsx).
  const built = fs.statSync(buildId).mtimeMs;
  let newer: string | undefined;
  const visit = (p: string) => {
    if (newer || !fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(p)) if (child !== 'generated' && child !== 'node_modules') visit(path.join(p, child));
    } else if (stat.mtimeMs > built && !p.endsWith('.test.ts')) newer = path.relative(root, p);
  };
  ['app', 'components', 'lib'].forEach((d) => visit(path.join(root, d)));
  if (newer) console.warn(`  note: the Next build is older than ${newer}; the sign-in pages run from the build (npm run build, or --build)`);
}

/** The bench database's counters: transactions (≈ statements: the app runs in autocommit) and per-table work. */
async function dbCounters(client: pg.Client) {
  const db = await client.query<{ xacts: string }>(`SELECT xact_commit + xact_rollback AS xacts FROM pg_stat_database WHERE datname = current_database()`);
  const tables = await client.query<{ relname: string; ins: string; upd: string; del: string; scans: string; seq: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del, coalesce(idx_scan, 0) AS scans, seq_scan AS seq FROM pg_stat_user_tables`,
  );
  return {
    xacts: Number(db.rows[0].xacts),
    tables: Object.fromEntries(tables.rows.map((r) => [r.relname, { inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del), indexScans: Number(r.scans), seqScans: Number(r.seq) }])),
  };
}
type DbCounters = Awaited<ReturnType<typeof dbCounters>>;
type TableWork = DbCounters['tables'][string];

interface DbCost {
  operations: number;
  /** Transactions per operation in the bench database. */
  xactsPerOp: number;
  /** Per operation, by table: rows inserted/updated/deleted, index scans and sequential scans. */
  tablesPerOp: Record<string, TableWork>;
}

/**
 * Database work per operation, measured exactly: a few operations one after another on a quiet
 * server, with pauses long enough for every Postgres backend to publish its counters (idle
 * backends publish after 10 s). Not part of the throughput windows.
 */
async function dbCostProbe(system: System, monitor: pg.Client): Promise<Record<string, DbCost>> {
  const settle = () => sleep(11_000);
  const out: Record<string, DbCost> = {};
  const measure = async (name: string, count: number, op: () => Promise<void>) => {
    await settle();
    const a = await dbCounters(monitor);
    for (let i = 0; i < count; i++) await op();
    await settle();
    const b = await dbCounters(monitor);
    const tablesPerOp: Record<string, TableWork> = {};
    for (const [table, w] of Object.entries(b.tables)) {
      const before = a.tables[table] ?? { inserted: 0, updated: 0, deleted: 0, indexScans: 0, seqScans: 0 };
      const rate = (k: keyof TableWork) => Math.round((100 * (w[k] - before[k])) / count) / 100;
      const per = { inserted: rate('inserted'), updated: rate('updated'), deleted: rate('deleted'), indexScans: rate('indexScans'), seqScans: rate('seqScans') };
      if (Object.values(per).some(Boolean)) tablesPerOp[table] = per;
    }
    // The two snapshots themselves are two transactions on the monitor connection.
    out[name] = { operations: count, xactsPerOp: (b.xacts - a.xacts - 2) / count, tablesPerOp };
  };
  if (opts.only.has('cc')) {
    await measure('client_credentials', 100, async () => {
      const r = await tokenRequest(`${system.issuer}/token`, system.machine, { grant_type: 'client_credentials', scope: 'api:read' });
      if (r.status !== 200) throw new Error(`db probe: client credentials failed (${r.status})`);
    });
  }
  if (opts.only.has('refresh')) {
    let token = (await mintRefreshTokens(system, 1))[0];
    await measure('refresh_token', 100, async () => {
      const r = await tokenRequest(`${system.issuer}/token`, system.signIn.client, { grant_type: 'refresh_token', refresh_token: token });
      if (r.status !== 200 || typeof r.body.refresh_token !== 'string') throw new Error(`db probe: refresh failed (${r.status})`);
      token = r.body.refresh_token;
    });
  }
  if (opts.only.has('login')) {
    await measure('password_login', 10, async () => {
      await signInAndExchange(system.signIn);
    });
  }
  return out;
}

interface Measurement {
  scenario: string;
  system: System['name'];
  run: number;
  tool: string;
  seconds: number;
  ok: number;
  perSecond: number;
  failures: { non2xx: number; errors: number; timeouts: number; statusCodes?: Record<string, number>; other?: Record<string, number> };
  latencyMs: { p50: number; p99: number };
  cpu: CpuShare;
  firstError?: string;
}

/** The processes whose CPU is reported (filled in once they are started). */
const watched: Watched = {};

/** With --profile: where the server's CPU profiles go, one per measured window of ours. */
let profileDir: string | undefined;
const profiles: string[] = [];

let profiling = false; // not during the warm-up

async function profiled<T extends { scenario: string; run: number }>(system: System, body: () => Promise<T>): Promise<T> {
  if (!profileDir || !profiling || system.name !== 'ours' || !watched.server) return body();
  const before = new Set(fs.readdirSync(profileDir));
  process.kill(watched.server, 'SIGUSR2'); // start sampling (bench/cpu-profile-hook.mjs)
  await sleep(50);
  const result = await body();
  process.kill(watched.server, 'SIGUSR2'); // stop and write
  for (let i = 0; i < 100; i++) {
    const written = fs.readdirSync(profileDir).find((f) => !before.has(f) && f.endsWith('.cpuprofile'));
    if (written) {
      await sleep(200); // let the write finish
      const target = path.join(profileDir, `${result.scenario}-run${result.run}.cpuprofile`);
      fs.renameSync(path.join(profileDir, written), target);
      profiles.push(target);
      break;
    }
    await sleep(100);
  }
  return result;
}

/**
 * The machine is shared (2 cores): before a window, wait up to --quiet-wait seconds for work
 * outside the bench to drop below OTHER_LOAD_LIMIT. Windows that stay noisy are flagged anyway.
 */
const quietWaits = { waitedSeconds: 0, gaveUp: 0 };
async function waitForQuiet() {
  const started = Date.now();
  for (;;) {
    const a = sampleCpu(watched);
    await sleep(1_000);
    const share = cpuBetween(a, sampleCpu(watched), CORES);
    if (share.other <= OTHER_LOAD_LIMIT) break;
    if (Date.now() - started >= opts.quietWait * 1000) {
      quietWaits.gaveUp++;
      break;
    }
  }
  quietWaits.waitedSeconds += Math.max(0, (Date.now() - started) / 1000 - 1);
}

async function measured<T extends Omit<Measurement, 'cpu'>>(system: System, body: () => Promise<T>): Promise<Measurement> {
  if (opts.quietWait > 0) await waitForQuiet();
  // The "server" CPU column is the process serving this system (the guards-off instance has its own).
  const processes: Watched = system.serverPid ? { ...watched, server: system.serverPid } : watched;
  const cpu0 = sampleCpu(processes);
  const m = await profiled(system, body);
  const cpu = cpuBetween(cpu0, sampleCpu(processes), CORES);
  return { ...m, cpu };
}

function fromAutocannon(result: autocannon.Result) {
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) if (!code.startsWith('2')) statusCodes[code] = count;
  return {
    seconds: result.duration,
    failures: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, ...(Object.keys(statusCodes).length ? { statusCodes } : {}) },
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface System {
  /** unguarded: a second instance of ours with RATE_LIMIT_ENABLED=false and THREAT_INTEL_ENABLED=false. */
  name: 'ours' | 'bare' | 'unguarded';
  /** The server process, when it is not watched.server / watched.bare. */
  serverPid?: number;
  issuer: string;
  machine: ConfidentialClient;
  signIn: SignInTarget;
}

/**
 * Our server ends a keep-alive connection after 1,000 requests (server.maxRequestsPerSocket, like
 * nginx's keepalive_requests) and says so with `Connection: close`. autocannon ignores that and
 * keeps sending, and Node answers those requests 503, so a fast window of 10 s counted tens of
 * thousands of failures. Real clients open a new connection; the client-credentials windows do
 * the same every 500 requests, for ours and the baseline alike (refresh chains cannot: see there).
 */
const RECONNECT_EVERY = 500;

async function clientCredentials(system: System, run: number, seconds: number, scenario = 'client_credentials'): Promise<Measurement> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:read' }).toString();
  return measured(system, async () => {
    const result = await autocannon({
      url: `${system.issuer}/token`,
      connections: opts.connections,
      reconnectRate: RECONNECT_EVERY,
      duration: seconds,
      method: 'POST',
      headers: { authorization: basicAuth(system.machine), 'content-type': FORM },
      body,
    });
    return { scenario, system: system.name, run, tool: 'autocannon', ok: result['2xx'], perSecond: result['2xx'] / result.duration, ...fromAutocannon(result) };
  });
}

/** Signs in `count` times (a fresh browser, grant and refresh token each), `parallel` at a time. */
async function mintRefreshTokens(system: System, count: number, parallel = 8): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next++ < count) {
        const set = await signInAndExchange(system.signIn);
        if (!set.refresh_token) throw new Error(`${system.name}: the code exchange returned no refresh token`);
        tokens.push(set.refresh_token);
      }
    }),
  );
  return tokens;
}

/**
 * Refresh grants with rotation. Each connection starts from a refresh token of its own (its own
 * sign-in and grant, minted before the window); onResponse hands the rotated token straight to the
 * same connection's next setupRequest (autocannon calls them back to back, in one tick, so a
 * LIFO stack passes the token to the connection that received it). A token is never sent twice.
 * Spare tokens replace a chain that breaks (a non-200); tokens in flight when the window closes
 * are abandoned, so every window starts from freshly minted chains.
 */
const SPARE_CHAINS = 4;
async function refreshGrants(system: System, run: number, seconds: number): Promise<Measurement> {
  const stack = await mintRefreshTokens(system, opts.connections + SPARE_CHAINS);
  let rotated = 0;
  let broken = 0;
  let starved = 0;
  const headers = { authorization: basicAuth(system.signIn.client), 'content-type': FORM };
  return measured(system, async () => {
    // No reconnectRate here: a reconnect drops the token in flight and breaks its chain. At these
    // rates a connection stays under our server's 1,000 requests per connection in a window.
    const result = await autocannon({
      url: `${system.issuer}/token`,
      connections: opts.connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest(request) {
            const token = stack.pop();
            if (!token) starved++;
            return { ...request, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token ?? 'exhausted')}` };
          },
          onResponse(status, responseBody) {
            if (status === 200) {
              try {
                const token = JSON.parse(responseBody).refresh_token;
                if (typeof token === 'string') {
                  stack.push(token);
                  rotated++;
                  return;
                }
              } catch {
                /* counted as broken below */
              }
            }
            broken++;
          },
        },
      ],
    });
    const base = fromAutocannon(result);
    return {
      scenario: 'refresh_token',
      system: system.name,
      run,
      tool: 'autocannon',
      ok: rotated,
      perSecond: rotated / result.duration,
      ...base,
      failures: { ...base.failures, other: { brokenChains: broken, starvedRequests: starved } },
    };
  });
}

/** Complete sign-ins, `opts.concurrency` at a time, each with a fresh browser (so login and consent both run). */
async function passwordLogins(system: System, run: number, seconds: number): Promise<Measurement> {
  return measured(system, async () => {
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const latencies: number[] = [];
    let failed = 0;
    let firstError: string | undefined;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            await signInAndExchange(system.signIn);
            const t1 = performance.now();
            if (t1 <= deadline) latencies.push(t1 - t0); // sign-ins finishing after the window are not counted
          } catch (error) {
            failed++;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
      }),
    );
    return {
      scenario: 'password_login',
      system: system.name,
      run,
      tool: `node:http sign-in loop (concurrency ${opts.concurrency})`,
      seconds,
      ok: latencies.length,
      perSecond: latencies.length / seconds,
      failures: { non2xx: 0, errors: failed, timeouts: 0 },
      latencyMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
      ...(firstError ? { firstError } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Systems under test

async function startBare(): Promise<{ system: System; pid: number }> {
  const { freePort } = await import('../e2e/support/server');
  const port = await freePort();
  const machine = { clientId: 'machine', clientSecret: crypto.randomBytes(32).toString('base64url') };
  const web = { clientId: 'web', clientSecret: crypto.randomBytes(32).toString('base64url') };
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/bare-provider.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      BENCH_MACHINE_SECRET: machine.clientSecret,
      BENCH_WEB_SECRET: web.clientSecret,
      BENCH_REDIRECT_URI: REDIRECT_URI,
      BENCH_TTL: String(TTL),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push({
    name: 'bare provider',
    run: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  });
  const issuer = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bare provider exited during start:\n${output}`);
    try {
      if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the bare provider did not start:\n${output}`);
    await sleep(100);
  }
  return {
    pid: child.pid!,
    system: { name: 'bare', issuer, machine, signIn: { issuer, client: web, redirectUri: REDIRECT_URI, username: 'alice', password: 'unused', pages: 'bare' } },
  };
}

/** Checks that both systems do the work being compared, and records what it is. */
async function preflight(system: System) {
  const facts: Record<string, unknown> = {};
  const jwks = (await (await fetch(`${system.issuer}/jwks`)).json()) as { keys: { kty: string; n?: string; alg?: string }[] };
  const rsa = jwks.keys.find((k) => k.kty === 'RSA');
  facts.signingKey = rsa ? `RSA ${Buffer.from(rsa.n!, 'base64url').length * 8}` : 'none';

  if (opts.only.has('cc')) {
    const cc = await tokenRequest(`${system.issuer}/token`, system.machine, { grant_type: 'client_credentials', scope: 'api:read' });
    const header = jwtHeader(cc.body.access_token);
    if (cc.status !== 200 || !header) throw new Error(`${system.name}: client credentials did not return a JWT access token (${cc.status}): ${JSON.stringify(cc.body).slice(0, 300)}`);
    facts.clientCredentials = { accessToken: `JWT ${header.alg} typ=${header.typ}`, expiresIn: cc.body.expires_in, scope: cc.body.scope };
  }
  if (opts.only.has('refresh') || opts.only.has('login')) {
    const first = await signInAndExchange(system.signIn);
    if (!first.refresh_token) throw new Error(`${system.name}: no refresh token from the code exchange`);
    const refreshed = await tokenRequest(`${system.issuer}/token`, system.signIn.client, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    const next = refreshed.body.refresh_token;
    if (refreshed.status !== 200 || typeof next !== 'string') throw new Error(`${system.name}: refresh failed (${refreshed.status}): ${JSON.stringify(refreshed.body).slice(0, 300)}`);
    const replay = await tokenRequest(`${system.issuer}/token`, system.signIn.client, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    const idHeader = jwtHeader(refreshed.body.id_token);
    facts.refresh = {
      rotated: next !== first.refresh_token,
      replayOfRotatedToken: `${replay.status} ${replay.body.error ?? ''}`.trim(),
      accessToken: jwtHeader(refreshed.body.access_token) ? 'JWT' : 'opaque',
      idToken: idHeader ? `JWT ${idHeader.alg}` : 'none',
      expiresIn: refreshed.body.expires_in,
    };
    if (next === first.refresh_token || replay.status !== 400) throw new Error(`${system.name}: refresh tokens are not rotated as expected: ${JSON.stringify(facts.refresh)}`);
  }
  return facts;
}

/** IOC entries the server's matcher holds, from its /metrics (iam_threat_ioc_entries), or undefined. */
async function readIocEntries(origin: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${origin}/metrics`);
    if (!response.ok) return undefined;
    const lines = (await response.text()).split('\n').filter((l) => l.startsWith('iam_threat_ioc_entries'));
    return lines.length ? lines.reduce((n, l) => n + Number(l.split(' ').pop()), 0) : 0;
  } catch {
    return undefined;
  }
}

/** Instances pick up IOC changes on their generation poll (lib/threats/start.ts): wait for it. */
async function waitForIocEntries(origin: string): Promise<number | undefined> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const n = await readIocEntries(origin);
    if ((n ?? 0) > 0 || Date.now() > deadline) return n;
    await sleep(1_000);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

type Row = {
  figure: string;
  ours: Measurement[];
  bare?: Measurement[];
  target: string;
  pass: (ours: number, ratio?: number) => boolean;
  dbCost?: DbCost;
};

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const cpuCell = (ms: Measurement[], key: keyof CpuShare) => `${fmt(median(ms.map((m) => m.cpu[key])))}%`;
/** A window where something outside the bench used more than this (% of one core) is flagged. */
const OTHER_LOAD_LIMIT = 25;

function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r, j) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
    return j === 0 ? `${line}\n${widths.map((w) => '─'.repeat(w)).join('  ')}` : line;
  });
}

function summarise(row: Row) {
  const ours = median(row.ours.map((m) => m.perSecond));
  const bare = row.bare ? median(row.bare.map((m) => m.perSecond)) : undefined;
  const ratio = bare ? ours / bare : undefined;
  return { ours, bare, ratio, pass: row.pass(ours, ratio) };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = new Date();
  await ensureBuild();

  process.env.DATABASE_URL ||= localPostgresUrl();
  // The seeding in this process logs like the server would; keep it quiet.
  process.env.LOG_LEVEL = 'warn';
  process.env.SECURITY_LOGGING_ENABLED = 'false';
  const adminUrl = process.env.DATABASE_URL;
  // Last resort: a database this process created is dropped even if setup failed half-way.
  cleanups.push({
    name: 'leftover databases',
    run: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`iam_test_${process.pid}_%`]);
        for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  });

  const { setupServerEnvironment } = await import('../e2e/support/environment');
  const { seedTenant } = await import('../e2e/support/seed');

  const serverEnv: Record<string, string> = { LOG_LEVEL: 'warn', SECURITY_LOGGING_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: RATE_LIMIT_PER_MINUTE_ON };
  if (opts.profile) {
    // Node refuses --cpu-prof in NODE_OPTIONS; a preloaded hook drives the profiler instead.
    profileDir = path.join(resultsDir, `profile-${stamp}`);
    fs.mkdirSync(profileDir, { recursive: true });
    serverEnv.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(path.join(root, 'bench/cpu-profile-hook.mjs')).href}`.trim();
    serverEnv.BENCH_PROFILE_DIR = profileDir;
  }
  console.log('Starting our server (Postgres database, production build) and the bare oidc-provider…');
  const env = await setupServerEnvironment(serverEnv);
  cleanups.push({ name: 'server and database', run: () => env.teardown() });
  watched.server = findChildPid('server.ts');
  watched.database = new URL(env.databaseUrl).pathname.slice(1);

  const seeded = await seedTenant('bench');
  const issuer = `${env.server.origin}/t/${seeded.slug}`;
  const monitor = new pg.Client({ connectionString: env.databaseUrl });
  await monitor.connect();
  cleanups.push({ name: 'monitor connection', run: () => monitor.end() });

  const ours: System = {
    name: 'ours',
    issuer,
    machine: seeded.machine,
    signIn: { issuer, client: seeded.web, redirectUri: REDIRECT_URI, username: seeded.user.username, password: seeded.user.password, pages: 'ours' },
  };
  const bareStarted = await startBare();
  const bare = bareStarted.system;
  watched.bare = bareStarted.pid;

  const facts = { ours: await preflight(ours), bare: await preflight(bare) };
  if (opts.only.has('cc')) {
    const a = (facts.ours.clientCredentials as { accessToken: string }).accessToken;
    const b = (facts.bare.clientCredentials as { accessToken: string }).accessToken;
    if (a !== b) throw new Error(`the baseline does not issue the same access tokens: ours ${a}, bare ${b}`);
  }
  console.log(`Preflight: ${JSON.stringify(facts)}`);

  // Guards on / off: ours (rate-limit policy counted in Postgres, IOC matcher loaded) against a
  // second instance of ours on the same database with both checks switched off.
  let unguarded: System | undefined;
  let guardFacts: Record<string, unknown> | undefined;
  if (opts.only.has('guards')) {
    const { addManualIoc } = await import('../lib/threats');
    await addManualIoc({ list: 'deny', value: GUARD_DENY_CIDR, reason: 'bench: gives the guards-on server an IOC to look up' }, { type: 'system', id: 'bench', name: 'bench' });
    console.log(`Starting a second instance of ours with RATE_LIMIT_ENABLED=false THREAT_INTEL_ENABLED=false (same database)…`);
    const off = await env.startAnother({ RATE_LIMIT_ENABLED: 'false', THREAT_INTEL_ENABLED: 'false' });
    const offIssuer = `${off.origin}/t/${seeded.slug}`;
    unguarded = { name: 'unguarded', serverPid: findChildPid('server.ts', [watched.server]), issuer: offIssuer, machine: seeded.machine, signIn: { ...ours.signIn, issuer: offIssuer } };
    const iocEntries = await waitForIocEntries(env.server.origin);
    guardFacts = {
      on: { origin: env.server.origin, rateLimitPerMinute: RATE_LIMIT_PER_MINUTE_ON, rateLimitStore: 'postgres (every request counted, points leased in blocks)', iocEntriesLoaded: iocEntries, manualDenyCidr: GUARD_DENY_CIDR },
      off: { origin: off.origin, env: 'RATE_LIMIT_ENABLED=false THREAT_INTEL_ENABLED=false', iocEntriesLoaded: await readIocEntries(off.origin) },
      clientCredentials: {} as Record<string, string>,
    };
    for (const system of [ours, unguarded]) {
      const cc = await tokenRequest(`${system.issuer}/token`, system.machine, { grant_type: 'client_credentials', scope: 'api:read' });
      const header = jwtHeader(cc.body.access_token);
      if (cc.status !== 200 || !header) throw new Error(`${system.name}: client credentials failed (${cc.status}): ${JSON.stringify(cc.body).slice(0, 300)}`);
      (guardFacts.clientCredentials as Record<string, string>)[system.name === 'ours' ? 'on' : 'off'] = `JWT ${header.alg} typ=${header.typ}`;
    }
    if (!iocEntries) console.warn(`  note: could not confirm from ${env.server.origin}/metrics that the guards-on server loaded the IOC`);
    console.log(`Guards preflight: ${JSON.stringify(guardFacts)}`);
  }

  const plan: { key: string; fn: (s: System, run: number, seconds: number) => Promise<Measurement>; systems: System[] }[] = [];
  if (opts.only.has('cc')) plan.push({ key: 'cc', fn: clientCredentials, systems: [ours, bare] });
  if (opts.only.has('refresh')) plan.push({ key: 'refresh', fn: refreshGrants, systems: [ours, bare] });
  if (opts.only.has('login')) plan.push({ key: 'login', fn: passwordLogins, systems: [ours, bare] });
  if (unguarded) plan.push({ key: 'guards', fn: (s, run, seconds) => clientCredentials(s, run, seconds, 'cc_guards'), systems: [ours, unguarded] });

  if (opts.warmup > 0) {
    console.log(`Warm-up: ${opts.warmup} s per scenario and system…`);
    for (const step of plan) for (const system of step.systems) await step.fn(system, 0, opts.warmup);
  }

  const measurements: Measurement[] = [];
  profiling = true;
  for (let run = 1; run <= opts.runs; run++) {
    for (const step of plan) {
      // Guards on/off alternate which goes first, so neither always gets the warmer machine.
      const systems = step.key === 'guards' && run % 2 === 0 ? [...step.systems].reverse() : step.systems;
      for (const system of systems) {
        const m = await step.fn(system, run, opts.duration);
        measurements.push(m);
        const other = m.failures.other ? ` ${JSON.stringify(m.failures.other)}` : '';
        console.log(
          `  run ${run}/${opts.runs}  ${m.scenario.padEnd(18)} ${m.system.padEnd(4)}  ${fmt(m.perSecond, 1).padStart(7)}/s  ` +
            `p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  failures ${m.failures.non2xx + m.failures.errors + m.failures.timeouts}${other}  ` +
            `cpu: gen ${fmt(m.cpu.generator)}% server ${fmt(m.cpu.server)}% bare ${fmt(m.cpu.bare)}% pg ${fmt(m.cpu.postgres)}% other ${fmt(m.cpu.other)}% machine ${fmt(m.cpu.system)}%/${CORES * 100}%` +
            (m.firstError ? `  first error: ${m.firstError.slice(0, 200)}` : ''),
        );
      }
    }
  }

  profiling = false;
  // Evidence that the guards-on server counted its requests: the Postgres counters right after the windows.
  let rateLimitRows: { keys: number; maxPoints: number } | undefined;
  if (unguarded) {
    const r = await monitor.query<{ keys: number; max: string | null }>(`SELECT count(*)::int AS keys, max(points) AS max FROM rate_limits`);
    rateLimitRows = { keys: r.rows[0].keys, maxPoints: Number(r.rows[0].max ?? 0) };
  }
  let dbCost: Record<string, DbCost> = {};
  if (!opts.skipDbProbe) {
    console.log('Counting database work per operation (sequential, with pauses for Postgres statistics)…');
    dbCost = await dbCostProbe(ours, monitor);
  }

  let passwordCeiling: PasswordCeiling | undefined;
  if (opts.only.has('login')) {
    console.log('Password hashing: Argon2id verification CPU in this process (servers idle)…');
    passwordCeiling = await measurePasswordCeiling();
  }

  let ioc: IocBenchFigures | undefined;
  if (opts.only.has('ioc')) {
    console.log(`IOC matcher: ${IOC_ENTRIES.toLocaleString('en')} entries, ${IOC_RUNS} runs (in this process, servers idle)…`);
    const { runIocBench } = await import('./ioc-lookup');
    ioc = runIocBench({ entries: IOC_ENTRIES, runs: IOC_RUNS, log: (line) => console.log(`  ${line}`) });
  }

  // ---- report
  const pick = (scenario: string, system: System['name']) => measurements.filter((m) => m.scenario === scenario && m.system === system);
  const rows: Row[] = [];
  if (opts.only.has('cc'))
    rows.push({
      figure: 'client_credentials (JWT RS256)',
      ours: pick('client_credentials', 'ours'),
      bare: pick('client_credentials', 'bare'),
      dbCost: dbCost.client_credentials,
      target: `≥${TARGETS.ccPerSecond}/s & ≥${TARGETS.ccRatio}× bare`,
      pass: (o, r) => o >= TARGETS.ccPerSecond && (r ?? 0) >= TARGETS.ccRatio,
    });
  if (opts.only.has('refresh'))
    rows.push({
      figure: 'refresh_token (rotating)',
      ours: pick('refresh_token', 'ours'),
      bare: pick('refresh_token', 'bare'),
      dbCost: dbCost.refresh_token,
      target: `≥${TARGETS.refreshPerSecond}/s`,
      pass: (o) => o >= TARGETS.refreshPerSecond,
    });
  if (opts.only.has('login'))
    rows.push({
      figure: 'password login (complete)',
      ours: pick('password_login', 'ours'),
      bare: pick('password_login', 'bare'),
      dbCost: dbCost.password_login,
      target: `≥${TARGETS.loginsPerSecond}/s`,
      pass: (o) => o >= TARGETS.loginsPerSecond,
    });

  const throughput: string[][] = [['figure', 'ours/s', 'bare/s', 'ratio', 'target', 'verdict', 'ours per run', 'bare per run', 'p50/p99 ms (ours)', 'failed (ours/bare)']];
  const where: string[][] = [['figure', 'gen', 'server', 'postgres', 'other', 'server ms/op', 'pg ms/op', '│ gen@bare', 'bare', 'bare ms/op', '│ db xact/op']];
  const summary: Record<string, unknown> = {};
  let invalid = false;
  const msPerOp = (ms: Measurement[], key: keyof CpuShare) => median(ms.map((m) => (m.perSecond ? (10 * m.cpu[key]) / m.perSecond : NaN)));
  for (const row of rows) {
    const s = summarise(row);
    const failures = (ms: Measurement[]) => ms.reduce((n, m) => n + m.failures.non2xx + m.failures.errors + m.failures.timeouts, 0);
    const oks = (ms: Measurement[]) => ms.reduce((n, m) => n + m.ok, 0);
    const failed = failures(row.ours);
    const bareFailed = failures(row.bare ?? []);
    if (failed > 0.01 * Math.max(oks(row.ours), 1) || bareFailed > 0.01 * Math.max(oks(row.bare ?? []), 1)) invalid = true;
    throughput.push([
      row.figure,
      fmt(s.ours),
      s.bare !== undefined ? fmt(s.bare) : 'n/a',
      s.ratio !== undefined ? `${fmt(s.ratio, 2)}×` : 'n/a',
      row.target,
      s.pass ? 'PASS' : 'MISS',
      row.ours.map((m) => fmt(m.perSecond)).join(' '),
      row.bare ? row.bare.map((m) => fmt(m.perSecond)).join(' ') : 'n/a',
      `${fmt(median(row.ours.map((m) => m.latencyMs.p50)))}/${fmt(median(row.ours.map((m) => m.latencyMs.p99)))}`,
      row.bare ? `${failed}/${bareFailed}` : String(failed),
    ]);
    where.push([
      row.figure,
      cpuCell(row.ours, 'generator'),
      cpuCell(row.ours, 'server'),
      cpuCell(row.ours, 'postgres'),
      `${fmt(Math.max(...[...row.ours, ...(row.bare ?? [])].map((m) => m.cpu.other)))}%`,
      fmt(msPerOp(row.ours, 'server'), 2),
      fmt(msPerOp(row.ours, 'postgres'), 2),
      row.bare ? `│ ${cpuCell(row.bare, 'generator')}` : '│ n/a',
      row.bare ? cpuCell(row.bare, 'bare') : 'n/a',
      row.bare ? fmt(msPerOp(row.bare, 'bare'), 2) : 'n/a',
      `│ ${row.dbCost ? fmt(row.dbCost.xactsPerOp, 1) : 'n/a'}`,
    ]);
    summary[row.figure] = {
      oursPerSecond: s.ours,
      barePerSecond: s.bare,
      ratio: s.ratio,
      target: row.target,
      pass: s.pass,
      runsOurs: row.ours.map((m) => m.perSecond),
      runsBare: row.bare?.map((m) => m.perSecond),
      pairedRatios: row.bare?.map((b, i) => row.ours[i].perSecond / b.perSecond),
      generatorCpuPercentOfOneCore: median(row.ours.map((m) => m.cpu.generator)),
      generatorCpuPercentOfOneCoreDuringBare: row.bare ? median(row.bare.map((m) => m.cpu.generator)) : undefined,
      serverCpuMsPerOp: msPerOp(row.ours, 'server'),
      postgresCpuMsPerOp: msPerOp(row.ours, 'postgres'),
      bareCpuMsPerOp: row.bare ? msPerOp(row.bare, 'bare') : undefined,
      databaseWorkPerOp: row.dbCost,
    };
  }

  const guardsTable: string[][] = [['figure', 'on/s', 'off/s', 'on / off', 'on per run', 'off per run', 'p50/p99 ms on', 'p50/p99 ms off', '429s on', 'failed (on/off)']];
  if (unguarded) {
    const on = pick('cc_guards', 'ours');
    const off = pick('cc_guards', 'unguarded');
    const onRate = median(on.map((m) => m.perSecond));
    const offRate = median(off.map((m) => m.perSecond));
    const failures = (ms: Measurement[]) => ms.reduce((n, m) => n + m.failures.non2xx + m.failures.errors + m.failures.timeouts, 0);
    const oks = (ms: Measurement[]) => ms.reduce((n, m) => n + m.ok, 0);
    const tooMany = on.reduce((n, m) => n + (m.failures.statusCodes?.['429'] ?? 0), 0);
    if (failures(on) > 0.01 * Math.max(oks(on), 1) || failures(off) > 0.01 * Math.max(oks(off), 1)) invalid = true;
    const lat = (ms: Measurement[]) => `${fmt(median(ms.map((m) => m.latencyMs.p50)))}/${fmt(median(ms.map((m) => m.latencyMs.p99)))}`;
    guardsTable.push([
      'client_credentials, guards on / off',
      fmt(onRate),
      fmt(offRate),
      `${fmt(onRate / offRate, 3)}×`,
      on.map((m) => fmt(m.perSecond)).join(' '),
      off.map((m) => fmt(m.perSecond)).join(' '),
      lat(on),
      lat(off),
      String(tooMany),
      `${failures(on)}/${failures(off)}`,
    ]);
    summary['client_credentials, guards on / off'] = {
      onPerSecond: onRate,
      offPerSecond: offRate,
      ratioOnOverOff: onRate / offRate,
      overheadPercent: (1 - onRate / offRate) * 100,
      runsOn: on.map((m) => m.perSecond),
      runsOff: off.map((m) => m.perSecond),
      pairedRatios: on.map((m, i) => (off[i] ? m.perSecond / off[i].perSecond : NaN)),
      rateLimited429: tooMany,
      serverCpuMsPerOpOn: msPerOp(on, 'server'),
      serverCpuMsPerOpOff: msPerOp(off, 'server'),
      rateLimitCounters: rateLimitRows,
      facts: guardFacts,
    };
  }
  const iocTable: string[][] = [['IOC matcher', 'entries', 'lookups/s hit', 'lookups/s miss', 'ns/lookup hit/miss', 'verdicts/s hit/miss', 'memory measured', 'memory estimated', 'build ms']];
  if (ioc) {
    const mrate = (r: number) => `${(r / 1e6).toFixed(2)} M`;
    const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
    iocTable.push([
      'from the address string (parse + search)',
      ioc.entries.toLocaleString('en'),
      mrate(ioc.lookupsPerSecond.hitString),
      mrate(ioc.lookupsPerSecond.missString),
      `${ioc.nanosecondsPerLookup.hitString}/${ioc.nanosecondsPerLookup.missString}`,
      `${mrate(ioc.lookupsPerSecond.verdictHit)}/${mrate(ioc.lookupsPerSecond.verdictMiss)}`,
      mib(ioc.matcherBytesMeasured),
      mib(ioc.matcherBytesEstimated),
      String(ioc.buildMs),
    ]);
    summary['IOC matcher, 1,000,000 entries'] = ioc;
  }

  const refreshMethod =
    'chained per connection: each autocannon connection starts from its own freshly minted refresh token (own sign-in and grant) ' +
    'and onResponse hands the rotated token to its next setupRequest; never replayed';
  const context = [
    `Load tool: autocannon ${autocannonVersion()} (programmatic, in this process), ${opts.connections} connections, pipelining 1, keep-alive (client-credentials windows: a new connection every ${RECONNECT_EVERY} requests); ` +
      `sign-ins: node:http keep-alive loop in this process (bench/lean-browser.ts), concurrency ${opts.concurrency}.`,
    `Duration: ${opts.duration} s per run, ${opts.runs} run(s), medians reported; warm-up ${opts.warmup} s per scenario. Order per run: ${plan.map((p) => p.key).join(', ')} (ours then bare${unguarded ? '; guards: on then off in odd runs, off then on in even runs' : ''}).`,
    `Refresh tokens: ${refreshMethod}.`,
    `Shared machine: before each window the bench waited up to ${opts.quietWait} s for outside load < ${OTHER_LOAD_LIMIT}% of a core ` +
      `(waited ${fmt(quietWaits.waitedSeconds)} s in all; ${quietWaits.gaveUp} window(s) started while still noisy).`,
    `Sign-in: fresh cookie jar each time → GET /auth → sign-in page → POST login (Argon2id) → consent page → POST consent → callback → POST /token (code + PKCE S256, client_secret_basic); scope "openid offline_access", prompt=consent.`,
    ...(passwordCeiling
      ? [
          `Sign-in baseline: the bare provider runs the same flow through its own development pages (no password hashing, in-memory storage, no guards, events or metrics): the framework's own cost per sign-in. ` +
            `Password hashing alone: one Argon2id verification (m=${passwordCeiling.params.memoryCost} KiB, t=${passwordCeiling.params.timeCost}, p=${passwordCeiling.params.parallelism}) costs ${fmt(passwordCeiling.verifyCpuMs, 1)} ms of CPU here, ` +
            `so ${CORES} cores could complete at most ${fmt(passwordCeiling.signInsPerSecondCeiling)} sign-ins/s if nothing else cost anything.`,
        ]
      : []),
    `Database: Postgres over ${describeDatabaseUrl(process.env.DATABASE_URL!)} (DATABASE_URL chooses; unset, the local server's Unix socket when it has one: bench/local-postgres.ts).`,
    `Machine: ${CORES} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}; generator, servers and Postgres share the cores. CPU columns are % of ONE core ` +
      `(gen = this process, the load generator, via process.cpuUsage; server/bare = that process tree; postgres = backends of the bench database + ` +
      `background processes; other = the rest of the machine's busy time (other processes, the kernel), worst window of the figure).`,
    ...(unguarded
      ? [
          `Guards: the same client-credentials load (autocannon, ${opts.connections} connections, ${opts.duration} s × ${opts.runs}) against ours with the rate-limit and threat checks on ` +
            `and against a second instance of ours on the same database with RATE_LIMIT_ENABLED=false THREAT_INTEL_ENABLED=false (order alternating per run). ` +
            `Guards on: RATE_LIMIT_PER_MINUTE=${RATE_LIMIT_PER_MINUTE_ON} so the policy never trips, but every request still takes a point from a Postgres counter (in blocks: lib/ratelimit/lease.ts) ` +
            `(rate_limits right after the windows: ${rateLimitRows?.keys} key(s), highest count in its current one-minute window ${rateLimitRows?.maxPoints}); the IOC matcher holds a manual deny CIDR ${GUARD_DENY_CIDR} ` +
            `(${JSON.stringify((guardFacts?.on as { iocEntriesLoaded?: unknown })?.iocEntriesLoaded ?? 'not confirmed')} entries loaded), so every request is looked up.`,
        ]
      : []),
    ...(ioc
      ? [
          `IOC matcher: bench/ioc-lookup.ts in this process after the windows: ${ioc.entries.toLocaleString('en')} random entries (${ioc.mix.ipv4Addresses.toLocaleString('en')} IPv4 addresses, ` +
            `${ioc.mix.ipv4Cidrs.toLocaleString('en')} IPv4 CIDRs, ${ioc.mix.ipv6Addresses.toLocaleString('en')} IPv6 addresses, ${ioc.mix.ipv6Cidrs.toLocaleString('en')} IPv6 CIDRs), medians of ${IOC_RUNS} runs of 1,000,000 lookups; ` +
            `memory measured = heap + array-buffer growth after a forced GC; verdicts = evaluateIp (lookup + allow/deny + policy).`,
        ]
      : []),
    `db xact/op: transactions (≈ SQL statements, autocommit) in our database per operation, counted exactly on a quiet server after the runs ` +
      `(pg_stat_database; per-table rows and scans in the JSON)${opts.skipDbProbe ? ' — skipped (--skip-db-probe)' : ''}.`,
  ];

  console.log(`\nResults (${started.toISOString()}): medians of ${opts.runs} run(s) × ${opts.duration} s\n`);
  console.log(table(throughput).join('\n'));
  if (unguarded) console.log(`\nRate-limit + threat checks on the token endpoint (guards on / guards off, same run):\n\n${table(guardsTable).join('\n')}`);
  if (ioc) console.log(`\nIOC lookups with ${ioc.entries.toLocaleString('en')} entries loaded:\n\n${table(iocTable).join('\n')}`);
  console.log(`\nWhere the CPU went (median % of one core during the windows; ms/op = CPU time per operation):\n`);
  console.log(table(where).join('\n'));
  console.log(`\n${context.join('\n')}`);
  const noisy = measurements.filter((m) => m.cpu.other > OTHER_LOAD_LIMIT);
  if (noisy.length) {
    console.warn(
      `\nWARNING: in ${noisy.length} of ${measurements.length} windows, work outside the bench (other processes, the kernel) used more than ${OTHER_LOAD_LIMIT}% of a core ` +
        `(worst ${fmt(Math.max(...noisy.map((m) => m.cpu.other)))}%): the machine was not quiet and these figures are depressed.`,
    );
  }

  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stamp}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt: started.toISOString(),
        finishedAt: new Date().toISOString(),
        git: gitRevision(),
        machine: { cores: CORES, cpu: os.cpus()[0]?.model.trim(), node: process.version, platform: `${os.platform()} ${os.release()}` },
        load: {
          tool: `autocannon ${autocannonVersion()} (programmatic, in-process)`,
          connections: opts.connections,
          reconnectRate: RECONNECT_EVERY,
          pipelining: 1,
          loginLoop: { tool: 'node:http keep-alive loop in the bench process (bench/lean-browser.ts)', concurrency: opts.concurrency },
          durationSeconds: opts.duration,
          runs: opts.runs,
          warmupSeconds: opts.warmup,
          refreshTokens: refreshMethod,
        },
        targets: TARGETS,
        preflight: facts,
        quietMachine: !measurements.some((m) => m.cpu.other > OTHER_LOAD_LIMIT),
        passwordCeiling,
        quietWaits,
        summary,
        measurements,
        databaseWorkPerOperation: dbCost,
        guards: unguarded ? { facts: guardFacts, rateLimitCounters: rateLimitRows } : undefined,
        iocLookup: ioc,
        profileDir,
      },
      null,
      2,
    ),
  );
  console.log(`\nWrote ${path.relative(root, file)}`);

  if (invalid) {
    console.error('\nINVALID: more than 1% of operations failed in at least one figure (see "failed" and the per-run lines).');
    process.exitCode = 1;
  } else if (opts.strict && rows.some((r) => !summarise(r).pass)) {
    process.exitCode = 3;
  }
}

function autocannonVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/autocannon/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function gitRevision(): { commit: string; uncommittedChanges: number } | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain').split('\n').filter(Boolean).length };
  } catch {
    return undefined;
  }
}

main()
  .then(async () => {
    await cleanup();
    for (const file of profiles) console.log(`CPU profile of the server: ${path.relative(root, file)}  (npx tsx bench/profile-summary.ts <file>)`);
    process.exit(process.exitCode ?? 0);
  })
  .catch(async (error) => {
    console.error(`\nBench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    await cleanup();
    process.exit(1);
  });

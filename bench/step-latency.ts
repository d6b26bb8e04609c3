/**
 * `npx tsx bench/step-latency.ts [--signins 150] [--warmup 30]`
 *
 * Where a complete sign-in spends its time, request by request: starts our server on Postgres
 * (DATABASE_URL, default the local one as `npm run bench` reaches it; a throwaway database), runs sign-ins one after another
 * (no concurrency, so each latency is that request's own CPU plus its database round trips) and
 * prints the median and mean latency of every kind of request in the flow, with the CPU the
 * server (its process tree: main thread and Argon2id's threads) and Postgres spent on it, read
 * from /proc around each request (clock-tick accounting: exact on average over many requests,
 * not per request). The production build must exist (npm run build). The throughput figure is
 * `npm run bench`'s; this finds what to cut.
 */
import { parseArgs } from 'node:util';
import { signInOverHttp } from '../e2e/support/browserless';
import { authorizationRequest, tokenRequest } from './flows';
import { LeanHttpBrowser } from './lean-browser';
import { localPostgresUrl } from './local-postgres';
import { cpuBetween, findChildPid, sampleCpu, type Watched } from './probes';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const { values } = parseArgs({ options: { signins: { type: 'string', default: '150' }, warmup: { type: 'string', default: '30' } } });
const signIns = Number(values.signins);
const warmup = Number(values.warmup);

interface Sample {
  latencyMs: number;
  serverCpuMs: number;
  postgresCpuMs: number;
}
const samples = new Map<string, Sample[]>();
const watched: Watched = {};
let recording = false;

/** Times one request: latency, and the CPU the server and Postgres spent meanwhile. */
async function measure<T>(exchange: () => Promise<T>, label: (result: T) => string): Promise<T> {
  const before = sampleCpu(watched);
  const started = process.hrtime.bigint();
  const result = await exchange();
  const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = sampleCpu(watched);
  if (recording) {
    const share = cpuBetween(before, after, 1);
    const seconds = Number(after.at - before.at) / 1e9;
    const key = label(result);
    (samples.get(key) ?? samples.set(key, []).get(key)!).push({ latencyMs, serverCpuMs: share.server * seconds * 10, postgresCpuMs: share.postgres * seconds * 10 });
  }
  return result;
}

/** The lean sign-in client, timing each exchange under a label without the per-request ids. */
class TimedBrowser extends LeanHttpBrowser {
  protected override send(url: string, method: string, headers: Record<string, string>, body?: string) {
    const path = new URL(url).pathname.replace(/^\/t\/[^/]+/, '/t/{tenant}').replace(/\/(interaction|auth)\/[^/]+/, '/$1/{uid}');
    return measure(
      () => super.send(url, method, headers, body),
      (response) => `${method} ${path} → ${response.status}`,
    );
  }
}

async function main() {
  process.env.DATABASE_URL ||= localPostgresUrl();
  process.env.LOG_LEVEL = 'warn';
  process.env.SECURITY_LOGGING_ENABLED = 'false';
  const { setupServerEnvironment } = await import('../e2e/support/environment');
  const { seedTenant } = await import('../e2e/support/seed');
  const env = await setupServerEnvironment({ LOG_LEVEL: 'warn', SECURITY_LOGGING_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    watched.server = findChildPid('server.ts');
    watched.database = new URL(env.databaseUrl).pathname.slice(1);
    const seeded = await seedTenant('steps');
    const issuer = `${env.server.origin}/t/${seeded.slug}`;
    for (let i = 0; i < warmup + signIns; i++) {
      recording = i >= warmup;
      const { url, verifier } = authorizationRequest({ issuer, client: seeded.web, redirectUri: REDIRECT_URI });
      const callback = await signInOverHttp(new TimedBrowser(), url.href, { username: seeded.user.username, password: seeded.user.password, redirectUri: REDIRECT_URI });
      await measure(
        () => tokenRequest(`${issuer}/token`, seeded.web, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
        ({ status }) => `POST /t/{tenant}/token (code) → ${status}`,
      );
    }
  } finally {
    await env.teardown();
  }

  console.log(`\n${signIns} sequential sign-ins after ${warmup} warm-up; per request, in ms (CPU: means):\n`);
  const columns = ['per sign-in', 'latency p50', 'mean', 'server CPU', 'Postgres CPU'];
  console.log(`${'request'.padEnd(52)}  ${columns.map((c) => c.padStart(12)).join('  ')}`);
  const total = { latency: 0, server: 0, postgres: 0 };
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  for (const [key, list] of samples) {
    const latencies = list.map((s) => s.latencyMs).sort((a, b) => a - b);
    const perSignIn = list.length / signIns;
    const row = { latency: mean(latencies), server: mean(list.map((s) => s.serverCpuMs)), postgres: mean(list.map((s) => s.postgresCpuMs)) };
    total.latency += row.latency * perSignIn;
    total.server += row.server * perSignIn;
    total.postgres += row.postgres * perSignIn;
    const cells = [`×${perSignIn}`, latencies[Math.floor(latencies.length / 2)].toFixed(2), row.latency.toFixed(2), row.server.toFixed(2), row.postgres.toFixed(2)];
    console.log(`${key.padEnd(52)}  ${cells.map((c) => c.padStart(12)).join('  ')}`);
  }
  console.log(`\none complete sign-in: ${total.latency.toFixed(1)} ms latency, ${total.server.toFixed(1)} ms server CPU, ${total.postgres.toFixed(1)} ms Postgres CPU`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * `npx tsx bench/step-latency.ts [--signins 150] [--warmup 30]`
 *
 * Where a complete sign-in spends its time, request by request: starts our server on Postgres
 * (DATABASE_URL, default the local one as `npm run bench` reaches it; a throwaway database), runs sign-ins one after another
 * (no concurrency, so each latency is that request's own CPU plus its database round trips) and
 * prints the median and mean latency of every kind of request in the flow. The production build
 * must exist (npm run build). The throughput figure is `npm run bench`'s; this finds what to cut.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { signInOverHttp } from '../e2e/support/browserless';
import { tokenRequest } from './flows';
import { LeanHttpBrowser } from './lean-browser';
import { localPostgresUrl } from './local-postgres';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const { values } = parseArgs({ options: { signins: { type: 'string', default: '150' }, warmup: { type: 'string', default: '30' } } });
const signIns = Number(values.signins);
const warmup = Number(values.warmup);

const samples = new Map<string, number[]>();
let recording = false;
function record(key: string, started: bigint) {
  if (!recording) return;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  (samples.get(key) ?? samples.set(key, []).get(key)!).push(ms);
}

/** The lean sign-in client, timing each exchange under a label without the per-request ids. */
class TimedBrowser extends LeanHttpBrowser {
  protected override async send(url: string, method: string, headers: Record<string, string>, body?: string) {
    const started = process.hrtime.bigint();
    const response = await super.send(url, method, headers, body);
    const path = new URL(url).pathname.replace(/^\/t\/[^/]+/, '/t/{tenant}').replace(/\/(interaction|auth)\/[^/]+/, '/$1/{uid}');
    record(`${method} ${path} → ${response.status}`, started);
    return response;
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
    const seeded = await seedTenant('steps');
    const issuer = `${env.server.origin}/t/${seeded.slug}`;
    for (let i = 0; i < warmup + signIns; i++) {
      recording = i >= warmup;
      const verifier = crypto.randomBytes(32).toString('base64url');
      const url = new URL(`${issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: seeded.web.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid offline_access',
        prompt: 'consent',
        code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: crypto.randomBytes(8).toString('base64url'),
      }).toString();
      const callback = await signInOverHttp(new TimedBrowser(), url.href, { username: seeded.user.username, password: seeded.user.password, redirectUri: REDIRECT_URI });
      const started = process.hrtime.bigint();
      const { status } = await tokenRequest(`${issuer}/token`, seeded.web, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: verifier });
      record(`POST /t/{tenant}/token (code) → ${status}`, started);
    }
  } finally {
    await env.teardown();
  }

  console.log(`\n${signIns} sequential sign-ins after ${warmup} warm-up; latency per request (ms):\n`);
  console.log(`${'request'.padEnd(52)}  ${'per sign-in'.padStart(11)}  ${'median'.padStart(7)}  ${'mean'.padStart(7)}`);
  let total = 0;
  for (const [key, values] of samples) {
    values.sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const perSignIn = values.length / signIns;
    total += mean * perSignIn;
    console.log(`${key.padEnd(52)}  ${`×${perSignIn}`.padStart(11)}  ${values[Math.floor(values.length / 2)].toFixed(2).padStart(7)}  ${mean.toFixed(2).padStart(7)}`);
  }
  console.log(`\none complete sign-in: ${total.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

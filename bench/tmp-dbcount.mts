import pg from 'pg';
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';
process.env.LOG_LEVEL = 'warn'; process.env.SECURITY_LOGGING_ENABLED = 'false';
const { setupServerEnvironment } = await import('/work/main/e2e/support/environment.ts');
const { seedTenant } = await import('/work/main/e2e/support/seed.ts');
const { signInAndExchange, tokenRequest } = await import('/work/main/bench/flows.ts');
const env = await setupServerEnvironment({ LOG_LEVEL: 'warn', SECURITY_LOGGING_ENABLED: 'false' });
try {
  const s = await seedTenant('dbc');
  const issuer = `${env.server.origin}/t/${s.slug}`;
  const mon = new pg.Client({ connectionString: env.databaseUrl }); await mon.connect();
  const snap = async () => {
    const db = (await mon.query(`select xact_commit+xact_rollback x from pg_stat_database where datname=current_database()`)).rows[0].x;
    const t = (await mon.query(`select relname, n_tup_ins i, n_tup_upd u, n_tup_del d, coalesce(idx_scan,0)+coalesce(seq_scan,0) s from pg_stat_user_tables`)).rows;
    return { x: Number(db), t: Object.fromEntries(t.map((r: any) => [r.relname, [Number(r.i), Number(r.u), Number(r.d), Number(r.s)]])) };
  };
  const diff = (a: any, b: any, n: number, label: string) => {
    console.log(`${label}: xacts/op ${((b.x - a.x) / n).toFixed(2)}`);
    for (const k of Object.keys(b.t)) { const d = b.t[k].map((v: number, i: number) => (v - (a.t[k]?.[i] ?? 0)) / n); if (d.some((v: number) => v)) console.log(`   ${k.padEnd(22)} ins ${d[0].toFixed(2)} upd ${d[1].toFixed(2)} del ${d[2].toFixed(2)} scans ${d[3].toFixed(2)}`); }
  };
  const settle = () => new Promise((r) => setTimeout(r, 11500));
  const target = { issuer, client: s.web, redirectUri: 'http://127.0.0.1:9/callback', username: 'alice', password: s.user.password, pages: 'ours' as const };
  // warm
  await tokenRequest(`${issuer}/token`, s.machine, { grant_type: 'client_credentials', scope: 'api:read' });
  let rt = (await signInAndExchange(target)).refresh_token!;
  await settle();
  let a = await snap();
  const N = 200;
  for (let i = 0; i < N; i++) await tokenRequest(`${issuer}/token`, s.machine, { grant_type: 'client_credentials', scope: 'api:read' });
  await settle(); let b = await snap(); diff(a, b, N, 'client_credentials');
  a = b;
  for (let i = 0; i < N; i++) { const r = await tokenRequest(`${issuer}/token`, s.web, { grant_type: 'refresh_token', refresh_token: rt }); rt = r.body.refresh_token as string; }
  await settle(); b = await snap(); diff(a, b, N, 'refresh_token');
  a = b;
  const L = 30;
  for (let i = 0; i < L; i++) await signInAndExchange(target);
  await settle(); b = await snap(); diff(a, b, L, 'login');
  await mon.end();
} finally { await env.teardown(); }

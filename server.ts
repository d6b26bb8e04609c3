/**
 * The product's single process: every tenant's OpenID Provider (oidc-provider, mounted under
 * /t/{tenant}) and the Next.js app (sign-in pages, console, APIs, metrics) on one port.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import next from 'next';
import { ConfigError, getConfig } from '@/lib/config';
import { closeDatabase, openDatabase } from '@/lib/db/open';
import { flushEvents } from '@/lib/audit';
import { describeInitialSetup, ensureInitialSetup } from '@/lib/bootstrap';
import { ensureConsoleClient } from '@/lib/console';
import { ensureAccountClients } from '@/lib/account';
import { getLogger } from '@/lib/log';
import { getMetrics } from '@/lib/metrics';
import { handleOidcRequest, isInteractionPath, matchInsertedWellKnown, matchTenantPath } from '@/lib/server/oidc-mount';
import { handleInteractionPost, matchInteractionPost } from '@/lib/http/interaction-post';
import { handleInteractionPage, matchInteractionPage } from '@/lib/http/interaction-page';
import { startHousekeeping } from '@/lib/server/housekeeping';
import { CLIENT_IP_HEADER, refuseCrossOriginPost } from '@/lib/http/request-meta';
import { clientIp } from '@/lib/http/client-ip';
import { classifyRequest, runGuards } from '@/lib/server/guards';
import { registerHygieneGuard } from '@/lib/server/hygiene';
import { closeRateLimitStores, registerRateLimitGuard } from '@/lib/ratelimit';
import { writeOperatorToken } from '@/lib/operator';
import { startThreatIntel } from '@/lib/threats';

async function main() {
  let config;
  try {
    config = getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = getLogger();
  const dev = process.argv.includes('--dev');

  const db = await openDatabase();
  log.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.dataDir : undefined }, 'database ready, migrations applied');
  const setup = await ensureInitialSetup();
  await ensureConsoleClient();
  await ensureAccountClients();
  writeOperatorToken();
  await startThreatIntel();
  registerHygieneGuard();
  registerRateLimitGuard();

  const app = next({ dev, dir: process.cwd(), hostname: 'localhost', port: config.server.port, customServer: true });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const metrics = getMetrics();

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = process.hrtime.bigint();
    let surface = 'app';
    let endpoint = 'next';
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on our own form
    // posts, which defeats the origin check; URLs still never leak to other sites.
    res.setHeader('Referrer-Policy', 'same-origin');
    // No page of ours may be framed by another site (clickjacking of the sign-in, consent and
    // console forms). Nothing here is meant to be framed: no check_session iframe, no web_message.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    if (config.server.tls) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ surface, endpoint, method: req.method ?? 'GET', status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
    });
    // The client address (X-Forwarded-For only from TRUSTED_PROXIES); a client-sent value is replaced.
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    req.headers[CLIENT_IP_HEADER] = ip;
    try {
      const path = (req.url ?? '/').split('?')[0];
      const { tenantSlug, endpoint: endpointClass } = classifyRequest(req.method ?? 'GET', path);
      if (await runGuards({ req, res, ip, method: req.method ?? 'GET', path, tenantSlug, endpoint: endpointClass })) {
        endpoint = `guarded:${endpointClass}`;
        return;
      }
      const tenantPath = matchTenantPath(req.url ?? '/') ?? matchInsertedWellKnown(req.url ?? '/');
      if (tenantPath && !isInteractionPath(tenantPath.rest)) {
        surface = 'oidc';
        endpoint = await handleOidcRequest(req, res, tenantPath);
        return;
      }
      const formPost = tenantPath && matchInteractionPost(tenantPath.rest);
      if (tenantPath && formPost) {
        endpoint = `interaction/${formPost.step}`;
        await handleInteractionPost(req, res, tenantPath.slug, formPost);
        return;
      }
      // Server actions (the console's and the account page's forms) from another origin: Next
      // refuses them by throwing, which is a 500 and a stack trace in the log. Refused here first.
      const consoleOrAccount = path.startsWith('/console') || tenantPath?.rest === '/account';
      if (req.method === 'POST' && consoleOrAccount && refuseCrossOriginPost(req, res)) {
        endpoint = 'cross-origin';
        return;
      }
      if (tenantPath) endpoint = 'interaction';
      // Under next dev the page comes from Next (its stylesheet is not the production build's).
      const pageUid = !dev && tenantPath && (req.method === 'GET' || req.method === 'HEAD') ? matchInteractionPage(tenantPath.rest) : null;
      if (tenantPath && pageUid && (await handleInteractionPage(req, res, tenantPath.slug, pageUid, tenantPath.query))) return;
      await handleNext(req, res);
    } catch (error) {
      log.error({ err: error, url: req.url }, 'unhandled request error');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: 'server_error', error_description: 'an unexpected error occurred' }));
      } else res.end();
    }
  };

  const server = config.server.tls
    ? https.createServer(
        { cert: fs.readFileSync(config.server.tls.certFile), key: fs.readFileSync(config.server.tls.keyFile), minVersion: 'TLSv1.2' },
        onRequest,
      )
    : http.createServer(onRequest);
  // Slow-client hygiene: bounded header/request times and keep-alive.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.maxRequestsPerSocket = 1000;

  await new Promise<void>((resolve) => server.listen(config.server.port, config.server.host, resolve));
  const stopHousekeeping = startHousekeeping();

  if (setup) console.log(describeInitialSetup(setup));
  console.log(`\n  IAM is ready on ${config.server.publicOrigin}  (listening on ${config.server.host}:${config.server.port}, ${db.kind})`);
  console.log(`  Console: ${config.server.publicOrigin}/console  ·  issuers: ${config.server.publicOrigin}/t/<tenant>\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stopHousekeeping();
    server.closeIdleConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await flushEvents();
    await closeRateLimitStores();
    await closeDatabase();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? `Failed to start: ${error.message}` : error);
  process.exit(1);
});

import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { HttpBrowser, signInOverHttp } from './support/browserless';
import { REDIRECT_URI, seedTenant, type SeededTenant } from './support/seed';
import type { RunningServer } from './support/server';
import { tokenRequest } from './support/token-client';

const run = requirement('postgres');

/**
 * Several server processes on one database, as behind a load balancer (one public origin):
 * consumed codes and rotated refresh tokens are honoured by every instance and after restarts.
 */
describe.runIf(run)('state shared across server processes and restarts', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let second: RunningServer;
  let issuer: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('multi');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
    second = await env.startAnother({ PUBLIC_ORIGIN: env.server.origin });
  });
  afterAll(async () => env?.teardown());

  const tokenAt = (server: RunningServer) => `${server.origin}/t/${seeded.slug}/token`;

  async function obtainCode(scope = 'openid offline_access') {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({ client_id: seeded.web.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope, prompt: 'consent', state: 'st', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString();
    const callback = await signInOverHttp(new HttpBrowser(), url.href, { username: 'alice', password: seeded.user.password, redirectUri: REDIRECT_URI });
    return { code: callback.searchParams.get('code')!, verifier };
  }

  const redeem = (server: RunningServer, code: string, verifier: string) =>
    tokenRequest(tokenAt(server), seeded.web, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI });

  it('a code redeemed at one instance is refused at the other', async () => {
    const { code, verifier } = await obtainCode();
    const first = await redeem(second, code, verifier);
    expect(first.status).toBe(200);
    expect(first.body.id_token).toBeTruthy();
    const replay = await redeem(env.server, code, verifier);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('two instances racing to redeem one code: exactly one wins', async () => {
    const { code, verifier } = await obtainCode();
    const results = await Promise.all([redeem(env.server, code, verifier), redeem(second, code, verifier)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(results.find((r) => r.status === 400)!.body.error).toBe('invalid_grant');
  });

  it('a refresh token rotated at one instance cannot be reused at the other, and the reuse revokes the grant', async () => {
    const { code, verifier } = await obtainCode();
    const tokens = await redeem(env.server, code, verifier);
    const rotated = await tokenRequest(tokenAt(env.server), seeded.web, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    expect(rotated.status).toBe(200);
    const reuse = await tokenRequest(tokenAt(second), seeded.web, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token });
    expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const afterRevocation = await tokenRequest(tokenAt(env.server), seeded.web, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token });
    expect(afterRevocation).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('a consumed code stays consumed after every instance restarts', async () => {
    const { code, verifier } = await obtainCode();
    expect((await redeem(second, code, verifier)).status).toBe(200);
    await second.stop();
    const fresh = await env.startAnother({ PUBLIC_ORIGIN: env.server.origin });
    expect(await redeem(fresh, code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

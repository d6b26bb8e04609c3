import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpBrowser, signInOverHttp } from './support/browserless';
import { startServer, type RunningServer } from './support/server';

/**
 * The README's quick start on the embedded database (no DATABASE_URL): the first start creates
 * the admin and demo tenants and prints generated credentials once; a restart reuses the data;
 * a second process on the same data directory is refused.
 */
describe('quick start on the embedded database (PGlite)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-quickstart-'));
  const env = { DATABASE_URL: '', MASTER_KEY: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  const running: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const credentials = (output: string) => ({
    demoPassword: /demo user\s+demo \/ (\S+)/.exec(output)?.[1],
    adminPassword: /Administrator\s+admin \/ (\S+)/.exec(output)?.[1],
    clientId: /client_id=(\S+)/.exec(output)?.[1],
    clientSecret: /client_secret=(\S+)/.exec(output)?.[1],
  });

  async function signInAsDemo(server: RunningServer, creds: ReturnType<typeof credentials>) {
    const config = await oidc.discovery(new URL(`${server.origin}/t/demo`), creds.clientId!, creds.clientSecret!, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const redirectUri = 'http://localhost:8080/callback';
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid profile', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'q' });
    const callback = await signInOverHttp(new HttpBrowser(), url.href, { username: 'demo', password: creds.demoPassword!, redirectUri });
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'q' });
    // Scope claims come from userinfo when an access token is issued (OIDC Core §5.4).
    return oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
  }

  let firstCredentials: ReturnType<typeof credentials>;

  it('first start: bootstraps tenants and prints generated credentials once', async () => {
    const server = await startServer(env);
    running.push(server);
    firstCredentials = credentials(server.output());
    expect(server.output()).toContain('First start: generated credentials');
    expect(firstCredentials.adminPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect(firstCredentials.demoPassword).not.toBe(firstCredentials.adminPassword);
    expect(server.output()).toContain(`IAM is ready on ${server.origin}`);
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);

    const claims = await signInAsDemo(server, firstCredentials);
    expect(claims.preferred_username).toBe('demo');
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    await expect(startServer(env)).rejects.toThrow(/The embedded database in .* is in use by process \d+/);
  });

  it('a restart reuses the data and prints no new credentials', async () => {
    await running.pop()!.stop();
    const server = await startServer(env);
    running.push(server);
    expect(server.output()).not.toContain('First start');
    const claims = await signInAsDemo(server, firstCredentials);
    expect(claims.preferred_username).toBe('demo');
  });

  it('stops at start with one line naming an invalid setting', async () => {
    await expect(startServer({ ...env, RSA_KEY_SIZE: '1024' })).rejects.toThrow(/Invalid configuration: RSA_KEY_SIZE must be between 2048 and 8192 \(got 1024\)/);
  });
});

import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKeys } from '@/lib/keys';
import { requirement } from './support/env';
import { setupServerEnvironment, type TestEnvironment } from './support/environment';
import { seedTenant, type SeededTenant } from './support/seed';
import { tokenRequest } from './support/token-client';

const run = requirement('postgres');

describe.runIf(run)('signing key rotation seen through the running provider', () => {
  let env: TestEnvironment;
  let seeded: SeededTenant;
  let issuer: string;

  beforeAll(async () => {
    env = await setupServerEnvironment();
    seeded = await seedTenant('rot');
    issuer = `${env.server.origin}/t/${seeded.slug}`;
  });
  afterAll(async () => env?.teardown());

  const machineToken = async () => {
    const { status, body } = await tokenRequest(`${issuer}/token`, seeded.machine, { grant_type: 'client_credentials' });
    expect(status).toBe(200);
    return body.access_token;
  };
  const jwksKids = async () => ((await (await fetch(`${issuer}/jwks`)).json()) as jose.JSONWebKeySet).keys.map((k) => k.kid!);

  it('tokens signed before a rotation still verify after it; new tokens use the new kid', async () => {
    const before = await machineToken();
    const oldKid = jose.decodeProtectedHeader(before).kid!;

    const rotation = await rotateSigningKeys({ tenantId: seeded.tenant.id, actor: { type: 'system', id: 'test' } });
    expect(rotation.previousKid).toBe(oldKid);

    // Running instances re-read keys within seconds; the freshly generated next key shows when they have.
    const deadline = Date.now() + 15_000;
    while (!(await jwksKids()).includes(rotation.nextKid)) {
      if (Date.now() > deadline) throw new Error('the provider did not pick up the rotation');
      await new Promise((r) => setTimeout(r, 250));
    }

    const after = await machineToken();
    expect(jose.decodeProtectedHeader(after).kid).toBe(rotation.currentKid);

    const kids = await jwksKids();
    expect(kids).toEqual(expect.arrayContaining([oldKid, rotation.currentKid, rotation.nextKid]));
    const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
    await expect(jose.jwtVerify(before, jwks, { issuer })).resolves.toBeTruthy();
    await expect(jose.jwtVerify(after, jwks, { issuer })).resolves.toBeTruthy();
  });

  it('the JWKS never drops a key whose tokens are unexpired, and publishes public parts only', async () => {
    const token = await machineToken();
    const kid = jose.decodeProtectedHeader(token).kid!;
    for (let i = 0; i < 2; i++) await rotateSigningKeys({ tenantId: seeded.tenant.id, actor: { type: 'system', id: 'test' } });
    await new Promise((r) => setTimeout(r, 5_500));
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(Buffer.from(key.n, 'base64url').length * 8).toBeGreaterThanOrEqual(2048);
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The operator token lives in DATA_DIR: point the configuration at a directory of our own
// before any module reads it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-operator-token-'));
process.env.DATA_DIR = dataDir;

const { authenticate, isLoopback } = await import('./authenticate');
const { BearerError } = await import('./errors');
const { writeOperatorToken, verifyOperatorToken } = await import('@/lib/operator');

const request = (token: string, ip: string | null, name?: string) =>
  new Request('http://localhost/api/admin/v1/tenants', {
    headers: { authorization: `Bearer ${token}`, ...(ip !== null ? { 'x-iam-client-ip': ip } : {}), ...(name ? { 'x-iam-operator': name } : {}) },
  });

describe('the local operator token', () => {
  let token: string;
  beforeAll(() => {
    token = writeOperatorToken();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is written 0600 with the server origin beside it', () => {
    expect(fs.statSync(path.join(dataDir, 'operator.token')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, 'operator.token'), 'utf8').trim()).toBe(token);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(fs.readFileSync(path.join(dataDir, 'operator.origin'), 'utf8').trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is accepted from loopback addresses as the operator, named by the CLI', async () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const principal = await authenticate(request(token, ip, 'alice'));
      expect(principal).toMatchObject({ kind: 'operator', id: 'alice', grants: [{ role: 'owner', tenantId: null }] });
    }
    // A name that could smuggle something into the audit log falls back to "operator".
    expect((await authenticate(request(token, '127.0.0.1', 'a b"c'))).id).toBe('operator');
  });

  it('is refused from any other address, or without one', async () => {
    for (const ip of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.1', '2001:db8::1', '', null]) {
      const refused = await authenticate(request(token, ip)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BearerError);
      expect(refused).toMatchObject({ status: 401, bearerError: 'invalid_token' });
    }
  });

  it('stops working when the server writes a new one (constant-time comparison of digests)', async () => {
    const old = token;
    token = writeOperatorToken();
    expect(verifyOperatorToken(old)).toBe(false);
    expect(verifyOperatorToken(token)).toBe(true);
    expect(verifyOperatorToken('')).toBe(false);
    expect(verifyOperatorToken(`${token}x`)).toBe(false);
    await expect(authenticate(request(old, '127.0.0.1'))).rejects.toMatchObject({ status: 401 });
  });

  it('recognises loopback addresses only', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::2', '::ffff:10.0.0.1', '1127.0.0.1', '127.0.0.1.evil', '', null, undefined].some(isLoopback)).toBe(false);
  });
});

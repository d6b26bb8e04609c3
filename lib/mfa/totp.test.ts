import { createGuardrails, generate, stringToBytes } from 'otplib';
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, totpUri, verifyTotpCode } from './totp';

// The RFC vectors use seeds shorter than otplib's 16-byte guardrail in the HOTP case.
const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10 });

describe('RFC 6238 Appendix B known answers (TOTP, 8 digits, 30 s)', () => {
  // Each algorithm has its own seed length: 20, 32 and 64 bytes (Appendix A reference code).
  const seeds = {
    sha1: '12345678901234567890',
    sha256: '12345678901234567890123456789012',
    sha512: '1234567890123456789012345678901234567890123456789012345678901234',
  } as const;
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [time, sha1, sha256, sha512] of vectors) {
    it(`T=${time}`, async () => {
      const at = (algorithm: keyof typeof seeds) => generate({ secret: stringToBytes(seeds[algorithm]), algorithm, digits: 8, period: 30, epoch: time, guardrails });
      expect(await at('sha1')).toBe(sha1);
      expect(await at('sha256')).toBe(sha256);
      expect(await at('sha512')).toBe(sha512);
    });
  }
});

describe('RFC 4226 Appendix D known answers (HOTP, 6 digits)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code]))('counter %i → %s', async (counter, code) => {
    expect(await generate({ strategy: 'hotp', secret: stringToBytes('12345678901234567890'), counter, digits: 6, guardrails })).toBe(code);
  });
});

describe('the product TOTP', () => {
  it('uses 160-bit secrets and a standard otpauth URI', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri({ issuer: 'Acme Corp', label: 'alice', secret }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Acme Corp');
    expect(decodeURIComponent(uri.pathname)).toContain('alice');
  });

  it('keeps colons out of the label parts (Key Uri Format), with the issuer parameter equal to the label prefix', () => {
    const secret = generateTotpSecret();
    const uri = new URL(totpUri({ issuer: 'Acme: EU', label: 'ops:alice', secret }));
    const label = decodeURIComponent(uri.pathname.replace(/^\/+/, ''));
    expect(label.split(':')).toEqual(['Acme EU', 'ops alice']);
    expect(uri.searchParams.get('issuer')).toBe('Acme EU');
    expect(uri.searchParams.get('secret')).toBe(secret);
    // Names without colons are unchanged.
    expect(decodeURIComponent(new URL(totpUri({ issuer: 'Acme Corp', label: 'alice', secret })).pathname.replace(/^\/+/, ''))).toBe('Acme Corp:alice');
  });

  it('accepts ±1 step, refuses 2 steps off and replays of the same or an earlier step', async () => {
    const secret = generateTotpSecret();
    const now = Math.floor(Date.now() / 1000);
    const codeAt = (t: number) => generate({ secret, epoch: t });
    const current = await verifyTotpCode(secret, await codeAt(now), null);
    expect(current.valid).toBe(true);
    expect((await verifyTotpCode(secret, await codeAt(now - 30), null)).valid).toBe(true);
    expect((await verifyTotpCode(secret, await codeAt(now + 30), null)).valid).toBe(true);
    const farOff = await codeAt(now - 90);
    if (farOff !== (await codeAt(now)) && farOff !== (await codeAt(now - 30)) && farOff !== (await codeAt(now + 30))) {
      expect((await verifyTotpCode(secret, farOff, null)).valid).toBe(false);
    }
    const replay = await verifyTotpCode(secret, await codeAt(now), BigInt(current.step!));
    expect(replay).toEqual({ valid: false, replayed: true });
    expect((await verifyTotpCode(secret, 'abcdef', null)).valid).toBe(false);
  });
});

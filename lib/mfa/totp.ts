import { generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) with the parameters every authenticator app supports: SHA-1, 6 digits,
 * 30-second steps, and a 160-bit secret (RFC 4226 §4 recommends 160 bits).
 */
export const TOTP_PERIOD_SECONDS = 30;

export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/**
 * The Key Uri Format's label is `issuer:account`, and neither part may contain a colon: a tenant
 * named "Acme: EU" would otherwise show in the authenticator as issuer "Acme", account
 * "EU:alice". Colons (and the spaces around them) become one space in both parts, and the
 * issuer parameter carries the same text as the label's prefix, as the format asks.
 */
const withoutColons = (part: string) => part.replace(/\s*:+\s*/g, ' ').trim();

export function totpUri(input: { issuer: string; label: string; secret: string }): string {
  return generateURI({ issuer: withoutColons(input.issuer), label: withoutColons(input.label), secret: input.secret });
}

/**
 * Accepts the current code or one step either side (RFC 6238 §5.2 network delay), and refuses
 * any code from a time step at or before the last accepted one (replay).
 */
export async function verifyTotpCode(secret: string, code: string, lastUsedStep: bigint | null): Promise<{ valid: boolean; step?: number; replayed?: boolean }> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const result = await verify({ secret, token: code, epochTolerance: TOTP_PERIOD_SECONDS });
  if (!result.valid) return { valid: false };
  const step = (result as { timeStep: number }).timeStep;
  if (lastUsedStep !== null && BigInt(step) <= lastUsedStep) return { valid: false, replayed: true };
  return { valid: true, step };
}

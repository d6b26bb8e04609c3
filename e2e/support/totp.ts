import { generate } from 'otplib';

/**
 * Codes as an authenticator app would show them, for tests. The product refuses a code from a
 * step it already accepted (replay), so successive sign-ins within 30 s take the next step's
 * code (accepted within the ±1 step window) or wait for it.
 */
const lastStep = new Map<string, number>();

export async function nextTotpCode(secret: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30);
    const step = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(secret, step);
      return generate({ secret, epoch: step * 30 });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The manual-entry secret shown on the enrolment page. */
export function secretFromEnrolmentPage(html: string): string | undefined {
  const text = /aria-label="Secret key for manual entry"[^>]*>([^<]+)</.exec(html)?.[1];
  return text?.replace(/\s+/g, '');
}

import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { recordEvent, type ActorType } from '@/lib/audit';
import { getMetrics } from '@/lib/metrics';
import { generateRsaSigningKey } from './generate-key';
import { insertKey } from './repo';

// Clock skew allowed to verifiers on top of the longest lifetime of a token a key signed.
const CLOCK_SKEW_SECONDS = 60;

/**
 * How long a key that stops signing must stay published: the longest-lived JWT it signed
 * (the tenant's own token lifetime when it set a longer one than the global default).
 */
export function retentionSeconds(tenantSettings: { accessTokenTtlSeconds?: number } = {}) {
  return Math.max(getConfig().tokens.accessTokenTtlSeconds, tenantSettings.accessTokenTtlSeconds ?? 0) + CLOCK_SKEW_SECONDS;
}

export interface RotateKeysInput {
  tenantId: string;
  actor: { type: ActorType; id?: string | null };
  reason?: string;
  ip?: string | null;
  userAgent?: string | null;
  /** Scheduled rotation: skip (return null) unless the current key was activated before this. */
  onlyIfActivatedBefore?: Date;
}

/**
 * Rotation: next → current, current → previous (published until its tokens expire), a fresh
 * key becomes next, and previous keys past their retention are retired. The tenant row is locked
 * (SELECT … FOR UPDATE) so concurrent rotations on any instance serialise; that lock works on
 * Postgres and on PGlite, whose adapter does not honour Serializable.
 */
export interface RotationResult {
  slug: string;
  previousKid: string | null;
  currentKid: string;
  nextKid: string;
}

/** An unconditional rotation always happens; a scheduled one (onlyIfActivatedBefore) may skip (null). */
export async function rotateSigningKeys(input: RotateKeysInput & { onlyIfActivatedBefore?: undefined }): Promise<RotationResult>;
export async function rotateSigningKeys(input: RotateKeysInput): Promise<RotationResult | null>;
export async function rotateSigningKeys(input: RotateKeysInput): Promise<RotationResult | null> {
  const prisma = await getPrisma();
  // RSA generation is slow (and slower at 4096 bits): do it before taking the lock.
  const fresh = await generateRsaSigningKey(getConfig().crypto.rsaKeySize);
  const result = await prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ slug: string; settings: { accessTokenTtlSeconds?: number } | null }[]>`SELECT slug, settings FROM tenants WHERE id = ${input.tenantId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new Error('tenant not found');
    const now = new Date();
    const keys = await tx.signingKey.findMany({ where: { tenantId: input.tenantId, status: { in: ['next', 'current', 'previous'] } } });
    const current = keys.find((k) => k.status === 'current');
    const next = keys.find((k) => k.status === 'next');
    if (!next) throw new Error('tenant has no next key to promote');
    // Checked under the lock, so instances racing on the schedule rotate once.
    if (input.onlyIfActivatedBefore && current?.activatedAt && current.activatedAt >= input.onlyIfActivatedBefore) return null;

    await tx.signingKey.updateMany({
      where: { tenantId: input.tenantId, status: 'previous', retireAfter: { lte: now } },
      data: { status: 'retired', retiredAt: now },
    });
    if (current) {
      await tx.signingKey.update({
        where: { id: current.id },
        data: { status: 'previous', deactivatedAt: now, retireAfter: new Date(now.getTime() + retentionSeconds(locked[0].settings ?? {}) * 1000) },
      });
    }
    await tx.signingKey.update({ where: { id: next.id }, data: { status: 'current', activatedAt: now } });
    await insertKey(tx, input.tenantId, fresh, 'next');
    await recordEvent(tx, {
      type: 'key.rotated',
      outcome: 'success',
      tenantId: input.tenantId,
      tenantSlug: locked[0].slug,
      actor: input.actor,
      ip: input.ip,
      userAgent: input.userAgent,
      reason: input.reason,
      details: { previousKid: current?.kid, currentKid: next.kid, nextKid: fresh.kid },
    });
    return { slug: locked[0].slug, previousKid: current?.kid ?? null, currentKid: next.kid, nextKid: fresh.kid };
  });
  if (result) getMetrics().keyRotations.inc({ tenant: result.slug });
  return result;
}

import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import { rotateSigningKeys } from './rotate-keys';

/**
 * The automatic rotation schedule: every tenant whose current key is older than
 * KEY_ROTATION_DAYS gets rotated, by the system actor. Safe to run on every instance.
 */
export async function rotateDueKeys(now = new Date()) {
  const cutoff = new Date(now.getTime() - getConfig().crypto.keyRotationDays * 86_400_000);
  const prisma = await getPrisma();
  const due = await prisma.signingKey.findMany({ where: { status: 'current', activatedAt: { lt: cutoff } }, select: { tenantId: true } });
  const rotated: string[] = [];
  for (const { tenantId } of due) {
    const result = await rotateSigningKeys({ tenantId, actor: { type: 'system', id: 'key-rotation-schedule' }, reason: 'scheduled', onlyIfActivatedBefore: cutoff });
    if (result) rotated.push(result.slug);
  }
  return rotated;
}

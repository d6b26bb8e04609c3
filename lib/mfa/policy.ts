import { getConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db';
import type { TenantRecord } from '@/lib/tenants';

export type MfaRequirement = 'off' | 'optional' | 'required';

/**
 * Whether a user must have a second factor: MFA_ENABLED switches the feature as a whole; a
 * tenant chooses off / optional / required (for all users or only console admins). The admin
 * tenant requires it of owners and admins by default.
 */
export async function mfaRequirementFor(tenant: Pick<TenantRecord, 'isAdmin' | 'settings'>, userId: string): Promise<MfaRequirement> {
  if (!getConfig().features.mfa) return 'off';
  const policy = tenant.settings.mfaPolicy ?? (tenant.isAdmin ? 'required' : 'optional');
  if (policy !== 'required') return policy;
  const scope = tenant.settings.mfaRequiredFor ?? (tenant.isAdmin ? 'admins' : 'all');
  if (scope === 'all') return 'required';
  const prisma = await getPrisma();
  const privileged = await prisma.adminRoleBinding.count({ where: { userId, role: { in: ['owner', 'admin'] } } });
  return privileged > 0 ? 'required' : 'optional';
}

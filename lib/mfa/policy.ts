import { getConfig } from '@/lib/config';
import { ACR_MFA, ACR_PASSWORD } from './acr';
import { getPrisma } from '@/lib/db';
import type { TenantRecord } from '@/lib/tenants';

export type MfaRequirement = 'off' | 'optional' | 'required';

/** Whether a tenant offers a second factor at all: the feature is on (MFA_ENABLED) and its policy is not off. */
export const mfaOffered = (tenant: Pick<TenantRecord, 'settings'>) => getConfig().features.mfa && tenant.settings.mfaPolicy !== 'off';

/**
 * Whether a user must have a second factor: MFA_ENABLED switches the feature as a whole; a
 * tenant chooses off / optional / required (for all users or only console admins). The admin
 * tenant requires it of owners and admins by default.
 */
export async function mfaRequirementFor(tenant: Pick<TenantRecord, 'isAdmin' | 'settings'>, userId: string): Promise<MfaRequirement> {
  if (!mfaOffered(tenant)) return 'off';
  const policy = tenant.settings.mfaPolicy ?? (tenant.isAdmin ? 'required' : 'optional');
  if (policy !== 'required') return policy;
  const scope = tenant.settings.mfaRequiredFor ?? (tenant.isAdmin ? 'admins' : 'all');
  if (scope === 'all') return 'required';
  const prisma = await getPrisma();
  const privileged = await prisma.adminRoleBinding.count({ where: { userId, role: { in: ['owner', 'admin'] } } });
  return privileged > 0 ? 'required' : 'optional';
}

type AcrRequest = { essential?: unknown; value?: unknown; values?: unknown };

/** The acr the claims request parameter asks for in the ID token (OIDC Core §5.5.1.1), if any. */
function requestedAcr(params: { claims?: unknown } | undefined): AcrRequest | undefined {
  if (typeof params?.claims !== 'string') return undefined;
  try {
    return (JSON.parse(params.claims) as { id_token?: { acr?: AcrRequest } }).id_token?.acr ?? undefined;
  } catch {
    return undefined; // the provider has already refused malformed claims
  }
}

/** Whether the client asked for a second factor: acr_values naming the MFA class, or the claims parameter asking for it. */
export function clientRequestsMfa(params: { acr_values?: unknown; claims?: unknown } | undefined): boolean {
  if (String(params?.acr_values ?? '').split(' ').includes(ACR_MFA)) return true;
  const acr = requestedAcr(params);
  return acr?.value === ACR_MFA || (Array.isArray(acr?.values) && acr.values.includes(ACR_MFA));
}

/** Whether the client will accept nothing but MFA: an essential acr request that a password alone cannot meet. */
export function clientRequiresMfa(params: { claims?: unknown } | undefined): boolean {
  const acr = requestedAcr(params);
  if (!acr?.essential) return false;
  if (acr.value !== undefined) return acr.value === ACR_MFA;
  return Array.isArray(acr.values) && acr.values.includes(ACR_MFA) && !acr.values.includes(ACR_PASSWORD);
}

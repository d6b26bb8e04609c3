'use server';

import { createScimToken, revokeScimToken, setScimPasswordPolicy } from '@/lib/scim';
import type { ActionState } from '@/lib/http/console-action';
import { runTenantAction } from '../../../_lib/tenant-access';

/** Creates a SCIM token; the result carries the token, shown this once. */
export async function createScimTokenAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const days = String(fd.get('expiresInDays') ?? '').trim();
  return runTenantAction(fd.get('slug'), 'client.write', async (tenant, { actor, principal, meta }) => {
    const { token, record } = await createScimToken(tenant, { name: String(fd.get('name') ?? ''), expiresInDays: days === '' ? undefined : days }, { ...actor, name: principal.name }, meta);
    return { token, name: record.name };
  });
}

export async function revokeScimTokenAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(
    fd.get('slug'),
    'client.write',
    async (tenant, { actor, meta }) => {
      await revokeScimToken(tenant, String(fd.get('tokenId') ?? ''), actor, meta);
    },
    'Token revoked: requests with it are refused from now on.',
  );
}

/** Whether SCIM clients may set passwords: a tenant setting. */
export async function setScimPasswordsAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const accept = fd.get('accept') === 'on';
  return runTenantAction(
    fd.get('slug'),
    'tenant.update',
    async (tenant, { actor }) => {
      await setScimPasswordPolicy(tenant.slug, accept, actor);
    },
    accept ? 'SCIM clients may now set passwords.' : 'SCIM clients can no longer set passwords.',
  );
}

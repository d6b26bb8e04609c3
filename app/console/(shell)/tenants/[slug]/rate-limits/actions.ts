'use server';

import { createPolicy, deletePolicy } from '@/lib/ratelimit';
import type { ActionState } from '@/lib/http/console-action';
import { runTenantAction } from '../../../_lib/tenant-access';

export async function createPolicyAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(
    fd.get('slug'),
    'tenant.update',
    async (tenant, { actor }) => {
      await createPolicy(
        tenant.id,
        { endpoint: String(fd.get('endpoint')) as never, keyType: String(fd.get('keyType')) as never, limit: fd.get('limit') as never, windowSeconds: fd.get('windowSeconds') as never, action: String(fd.get('action') ?? 'reject') as never },
        actor,
      );
    },
    'Policy saved. Every instance applies it within seconds.',
  );
}

export async function deletePolicyAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'tenant.update', async (tenant, { actor }) => deletePolicy(tenant.id, String(fd.get('id') ?? ''), actor), 'Policy removed.');
}

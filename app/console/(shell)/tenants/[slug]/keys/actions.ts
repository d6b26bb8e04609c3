'use server';

import { rotateSigningKeys } from '@/lib/keys';
import type { ActionState } from '@/lib/http/console-action';
import { runTenantAction } from '../../../_lib/tenant-access';

export async function rotateKeysAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(
    fd.get('slug'),
    'key.rotate',
    async (tenant, { actor, meta }) => {
      await rotateSigningKeys({ tenantId: tenant.id, actor, reason: 'rotated from the console', ip: meta.ip, userAgent: meta.userAgent });
    },
    'Keys rotated. New tokens are signed with the new current key within seconds.',
  );
}

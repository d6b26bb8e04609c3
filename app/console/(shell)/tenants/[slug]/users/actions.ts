'use server';

import { redirect } from 'next/navigation';
import { createUser } from '@/lib/users';
import type { ActionState } from '@/lib/http/console-action';
import { userCreateInput } from '@/components/console/form-inputs';
import { runTenantAction } from '../../../_lib/tenant-access';
import { assertTenantPasswordPolicy } from '../../../_lib/password-policy';

export async function createUserAction(_prev: ActionState, fd: FormData): Promise<ActionState<{ id: string }>> {
  const slug = fd.get('slug');
  const state = await runTenantAction(slug, 'user.write', async (tenant, { actor }) => {
    const input = userCreateInput(fd);
    if (input.password !== undefined) assertTenantPasswordPolicy(tenant, input.password);
    const user = await createUser(tenant.id, input, actor);
    return { id: user.id };
  });
  if (state.ok && state.result) redirect(`/console/tenants/${encodeURIComponent(String(slug))}/users/${state.result.id}?created=1`);
  return state;
}

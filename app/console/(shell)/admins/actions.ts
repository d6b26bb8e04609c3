'use server';

import { revalidatePath } from 'next/cache';
import { grantRole, revokeRole } from '@/lib/authz';
import { runConsoleAction, type ActionState } from '@/lib/http/console-action';
import { grantRoleInput } from '@/components/console/form-inputs';

// Managing administrators is the owner's alone (admin.manage, all tenants: tenantId null).
export async function grantRoleAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('admin.manage', null, ({ actor }) => grantRole(grantRoleInput(fd), actor));
  if (!state.ok) return state;
  revalidatePath('/console', 'layout');
  return { ...state, message: 'Role granted. It applies at the administrator’s next request.' };
}

export async function revokeRoleAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('admin.manage', null, ({ actor }) => revokeRole(String(fd.get('bindingId') ?? '').slice(0, 64), actor));
  if (!state.ok) return state;
  revalidatePath('/console', 'layout');
  return { ...state, message: 'Role revoked.' };
}

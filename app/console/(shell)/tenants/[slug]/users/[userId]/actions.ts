'use server';

import { redirect } from 'next/navigation';
import { resetUserMfa } from '@/lib/mfa';
import { deleteUser, revokeUserGrant, revokeUserSession, setTemporaryPassword, setUserDisabled, unlockUser, updateUser } from '@/lib/users';
import type { ActionState } from '@/lib/http/console-action';
import { userUpdateInput } from '@/components/console/form-inputs';
import { runTenantAction } from '../../../../_lib/tenant-access';
import { assertTenantPasswordPolicy } from '../../../../_lib/password-policy';

// User, session and grant ids come from the browser: the services look each one up within the
// tenant named by the slug (checked for the permission first), and with the user for sessions
// and grants, so an id from elsewhere is "not found".
const field = (fd: FormData, name: string) => String(fd.get(name) ?? '').slice(0, 200);

// Profile changes and deletion are user administration (user.write); disabling, unlocking,
// resetting a password and ending sessions are support tasks a helpdesk may do (user.support).
export async function updateUserAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.write', async (tenant, { actor }) => {
    await updateUser(tenant.id, field(fd, 'userId'), userUpdateInput(fd), actor);
  }, 'Profile saved.');
}

export async function setUserDisabledAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const disabled = fd.get('disabled') === 'true';
  return runTenantAction(fd.get('slug'), 'user.support', (tenant, { actor }) => setUserDisabled(tenant.id, field(fd, 'userId'), disabled, actor), disabled ? 'User disabled; their sessions ended.' : 'User enabled.');
}

export async function unlockUserAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.support', (tenant, { actor }) => unlockUser(tenant.id, field(fd, 'userId'), actor), 'User unlocked.');
}

export async function setTemporaryPasswordAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.support', async (tenant, { actor }) => {
    const password = String(fd.get('password') ?? '');
    assertTenantPasswordPolicy(tenant, password);
    await setTemporaryPassword(tenant.id, field(fd, 'userId'), password, actor);
  }, 'Temporary password set. The user must change it at the next sign-in.');
}

export async function resetUserMfaAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.support', (tenant, { actor, meta }) => resetUserMfa(tenant, field(fd, 'userId'), actor, meta), 'Second factor removed. The user sets one up again at the next sign-in where it is required.');
}

export async function revokeSessionAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.support', (tenant, { actor }) => revokeUserSession(tenant.id, field(fd, 'userId'), field(fd, 'sessionId'), actor), 'Session ended.');
}

export async function revokeGrantAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'user.support', (tenant, { actor }) => revokeUserGrant(tenant.id, field(fd, 'userId'), field(fd, 'grantId'), actor), 'Grant revoked.');
}

export async function deleteUserAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runTenantAction(fd.get('slug'), 'user.write', (tenant, { actor }) => deleteUser(tenant.id, field(fd, 'userId'), actor));
  if (state.ok) redirect(`/console/tenants/${encodeURIComponent(String(fd.get('slug')))}/users`);
  return state;
}

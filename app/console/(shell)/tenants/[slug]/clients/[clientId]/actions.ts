'use server';

import { redirect } from 'next/navigation';
import { deleteClient, getClientOrThrow, rotateClientSecret, setClientDisabled, updateClient } from '@/lib/clients';
import type { ActionState } from '@/lib/http/console-action';
import { clientUpdateInput } from '@/components/console/form-inputs';
import { runTenantAction } from '../../../../_lib/tenant-access';

// Every client id is looked up within the tenant the slug names (after the permission check on
// that tenant): an id from another tenant is simply "not found".
const clientIdOf = (fd: FormData) => String(fd.get('clientId') ?? '').slice(0, 128);

export async function updateClientAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'client.write', async (tenant, { actor }) => {
    const client = await getClientOrThrow(tenant.id, clientIdOf(fd));
    await updateClient(tenant.id, client.clientId, clientUpdateInput(fd, client.kind), actor);
  }, 'Application saved.');
}

export async function rotateClientSecretAction(_prev: ActionState, fd: FormData): Promise<ActionState<{ clientId: string; clientSecret: string }>> {
  return runTenantAction(fd.get('slug'), 'client.write', (tenant, { actor }) => rotateClientSecret(tenant.id, clientIdOf(fd), actor), 'Secret rotated: the old secret no longer works.');
}

export async function setClientDisabledAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const disabled = fd.get('disabled') === 'true';
  return runTenantAction(fd.get('slug'), 'client.write', (tenant, { actor }) => setClientDisabled(tenant.id, clientIdOf(fd), disabled, actor), disabled ? 'Application disabled.' : 'Application enabled.');
}

export async function deleteClientAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runTenantAction(fd.get('slug'), 'client.write', (tenant, { actor }) => deleteClient(tenant.id, clientIdOf(fd), actor));
  if (state.ok) redirect(`/console/tenants/${encodeURIComponent(String(fd.get('slug')))}/clients`);
  return state;
}

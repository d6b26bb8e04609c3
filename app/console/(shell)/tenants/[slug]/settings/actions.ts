'use server';

import { redirect } from 'next/navigation';
import { deleteTenant, setTenantDisabled, updateTenant } from '@/lib/tenants';
import type { ActionState } from '@/lib/http/console-action';
import { tenantSettingsInput } from '@/components/console/form-inputs';
import { runTenantAction } from '../../../_lib/tenant-access';

export async function updateTenantSettingsAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  return runTenantAction(fd.get('slug'), 'tenant.update', async (tenant, { actor }) => {
    await updateTenant(tenant.slug, tenantSettingsInput(fd), actor);
  }, 'Settings saved. Running providers apply them within seconds.');
}

export async function setTenantDisabledAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const disabled = fd.get('disabled') === 'true';
  return runTenantAction(fd.get('slug'), 'tenant.update', async (tenant, { actor }) => {
    await setTenantDisabled(tenant.slug, disabled, actor);
  }, disabled ? 'Tenant disabled: its issuer now refuses sign-ins.' : 'Tenant enabled.');
}

export async function deleteTenantAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runTenantAction(fd.get('slug'), 'tenant.delete', async (tenant, { actor }) => {
    await deleteTenant(tenant.slug, String(fd.get('confirmation') ?? ''), actor);
  });
  if (state.ok) redirect('/console/tenants');
  return state;
}

'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { createTenant } from '@/lib/tenants';
import { runConsoleAction, type ActionState } from '@/lib/http/console-action';
import { tenantCreateInput } from '@/components/console/form-inputs';

/** Creating a tenant needs tenant.create with an all-tenant grant (tenantId null: no scoped grant passes). */
export async function createTenantAction(_prev: ActionState, formData: FormData): Promise<ActionState<{ slug: string }>> {
  const state = await runConsoleAction('tenant.create', null, async ({ actor }) => {
    const tenant = await createTenant(tenantCreateInput(formData), actor);
    return { slug: tenant.slug };
  });
  if (state.ok && state.result) {
    revalidatePath('/console', 'layout');
    redirect(`/console/tenants/${state.result.slug}?created=1`);
  }
  return state;
}

'use server';

import { createClient } from '@/lib/clients';
import type { ActionState } from '@/lib/http/console-action';
import { clientCreateInput } from '@/components/console/form-inputs';
import type { CreatedClient } from '@/components/console/client-create-form';
import { runTenantAction } from '../../../_lib/tenant-access';

/** Registers an application; the secret goes back to this one response and is never stored in clear. */
export async function createClientAction(_prev: ActionState, fd: FormData): Promise<ActionState<CreatedClient>> {
  return runTenantAction(fd.get('slug'), 'client.write', async (tenant, { actor }) => {
    // Only the form's fields: first-party status, fixed ids and scopes are not for the console to set.
    const client = await createClient(tenant.id, clientCreateInput(fd), actor);
    return { clientId: client.clientId, clientSecret: client.clientSecret ?? null, name: client.name };
  });
}

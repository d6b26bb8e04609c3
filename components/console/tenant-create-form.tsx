'use client';

import { createTenantSchema } from '@/lib/tenants/schemas';
import type { FormAction } from '@/components/ui/action-state';
import { zodFieldErrors } from '@/components/ui/action-state';
import { TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { tenantCreateInput } from './form-inputs';

const validate = (fd: FormData) => {
  const parsed = createTenantSchema.safeParse(tenantCreateInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

export function TenantCreateForm({ action }: { action: FormAction }) {
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create a tenant">
      <FormMessage state={state} />
      <TextField label="Slug" name="slug" required maxLength={40} autoComplete="off" spellCheck={false} placeholder="acme" hint="Lower-case letters, digits and hyphens. Part of the issuer URL: /t/<slug>. Cannot be changed." error={errorFor(errors, 'slug')} />
      <TextField label="Display name" name="displayName" required maxLength={100} placeholder="Acme Corporation" hint="Shown on the sign-in pages." error={errorFor(errors, 'displayName')} />
      <button type="submit" disabled={pending} className={`${buttonStyles.primary} w-full`}>
        {pending ? 'Creating…' : 'Create tenant'}
      </button>
    </form>
  );
}

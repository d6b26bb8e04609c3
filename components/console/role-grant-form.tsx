'use client';

import { grantRoleSchema } from '@/lib/authz/role-schemas';
import { zodFieldErrors, type FormAction } from '@/components/ui/action-state';
import { SelectField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { grantRoleInput } from './form-inputs';

const validate = (fd: FormData) => {
  const parsed = grantRoleSchema.safeParse(grantRoleInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

export function RoleGrantForm({ action, roles, tenants, administrators }: { action: FormAction; roles: { value: string; label: string; description: string }[]; tenants: { slug: string; displayName: string }[]; administrators: string[] }) {
  const { state, formAction, onSubmit, pending, errors, formRef } = useValidatedAction(action, validate, { resetOnSuccess: true });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Grant a role">
      <FormMessage state={state} />
      <TextField label="Administrator (username in the admin tenant)" name="username" required list="admin-usernames" autoComplete="off" spellCheck={false} error={errorFor(errors, 'username')} />
      <datalist id="admin-usernames">
        {administrators.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      <SelectField label="Role" name="role" defaultValue="auditor" options={roles.map((r) => ({ value: r.value, label: `${r.label}: ${r.description}` }))} error={errorFor(errors, 'role')} />
      <SelectField
        label="Scope"
        name="tenantSlug"
        defaultValue="*"
        hint="A role for all tenants also covers tenants created later."
        options={[{ value: '*', label: 'All tenants' }, ...tenants.map((t) => ({ value: t.slug, label: `Only ${t.displayName} (${t.slug})` }))]}
        error={errorFor(errors, 'tenantSlug')}
      />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Granting…' : 'Grant role'}
      </button>
    </form>
  );
}

'use client';

import { manualIocInputSchema } from '@/lib/threats/schemas';
import type { FormAction } from '@/components/ui/action-state';
import { zodFieldErrors } from '@/components/ui/action-state';
import { SelectField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { manualIocInput, policyInput } from './form-inputs';

const validateIoc = (fd: FormData) => {
  const parsed = manualIocInputSchema.safeParse(manualIocInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

export interface ScopeOption {
  value: string;
  label: string;
}

/** Add an allow or deny entry: an IP, CIDR, range or domain, for every tenant or one. */
export function IocForm({ action, scopes }: { action: FormAction; scopes: ScopeOption[] }) {
  const { state, formAction, onSubmit, pending, errors, formRef } = useValidatedAction(action, validateIoc, { resetOnSuccess: true });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a manual entry">
      <FormMessage state={state} />
      <SelectField
        label="List"
        name="list"
        defaultValue="deny"
        hint="The allow list wins over every deny list and feed."
        options={[
          { value: 'deny', label: 'Deny' },
          { value: 'allow', label: 'Allow' },
        ]}
      />
      <TextField label="Address, network or domain" name="value" required spellCheck={false} placeholder="203.0.113.0/24, 2001:db8::/32 or evil.example" error={errorFor(errors, 'value')} />
      <TextField label="Reason" name="reason" required maxLength={500} error={errorFor(errors, 'reason')} />
      <SelectField label="Applies to" name="tenantId" options={scopes} error={errorFor(errors, 'tenantId')} />
      <TextField label="Expires (UTC, optional)" name="expiresAt" type="datetime-local" error={errorFor(errors, 'expiresAt')} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Adding…' : 'Add entry'}
      </button>
    </form>
  );
}

/** The global default (both actions required) or a tenant's override (blank = inherit). */
export function PolicyForm({ action, scopes, initial }: { action: FormAction; scopes: ScopeOption[]; initial?: { tenantId: string; ipAction: string | null; domainAction: string | null } }) {
  const { state, formAction, onSubmit, pending } = useValidatedAction(action, (fd) => {
    const input = policyInput(fd);
    return !input.tenantId && (!input.ipAction || !input.domainAction) ? { ipAction: 'The global policy needs both actions' } : null;
  });
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Threat policy">
      <FormMessage state={state} />
      <SelectField label="Scope" name="tenantId" options={scopes} defaultValue={initial?.tenantId ?? ''} />
      <SelectField
        label="Listed client address"
        name="ipAction"
        defaultValue={initial?.ipAction ?? ''}
        options={[
          { value: '', label: 'Inherit (tenants only)' },
          { value: 'block', label: 'Block (403)' },
          { value: 'challenge', label: 'Challenge with MFA at sign-in' },
          { value: 'log', label: 'Log only' },
        ]}
      />
      <SelectField
        label="Listed domain (new users' e-mail, redirect URIs)"
        name="domainAction"
        defaultValue={initial?.domainAction ?? ''}
        options={[
          { value: '', label: 'Inherit (tenants only)' },
          { value: 'block', label: 'Refuse' },
          { value: 'log', label: 'Log only' },
        ]}
      />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Saving…' : 'Save policy'}
      </button>
    </form>
  );
}

'use client';

import { useActionState } from 'react';
import type { ActionState, FormAction } from '@/components/ui/action-state';
import { FormMessage } from '@/components/ui/form-message';
import { SelectField, TextField, errorFor } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';

const ENDPOINTS = ['authorization', 'token', 'introspection', 'revocation', 'userinfo', 'login', 'mfa', 'scim', 'admin_api', 'account'];
const KEYS = [
  { value: 'ip', label: 'Client IP address' },
  { value: 'client', label: 'OAuth client' },
  { value: 'user', label: 'Account (username)' },
  { value: 'ip_user', label: 'IP address + account' },
];

/** Adds a tenant policy; the server validates (the same zod schema) and reports field errors. */
export function PolicyForm({ action, slug }: { action: FormAction; slug: string }) {
  const [state, formAction] = useActionState<ActionState, FormData>(action, {});
  const errors = state.fieldErrors;
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      <input type="hidden" name="slug" value={slug} />
      <SelectField label="Endpoint" name="endpoint" options={ENDPOINTS.map((e) => ({ value: e, label: e }))} error={errorFor(errors, 'endpoint')} />
      <SelectField label="Counted per" name="keyType" options={KEYS} error={errorFor(errors, 'keyType')} hint="Per-account keys apply to the login and MFA forms." />
      <SelectField
        label="When exceeded"
        name="action"
        options={[
          { value: 'reject', label: 'Reject with 429' },
          { value: 'step_up', label: 'Require a second factor (sign-in only)' },
        ]}
        error={errorFor(errors, 'action')}
      />
      <TextField label="Limit (requests)" name="limit" type="number" min={1} max={1000000} required defaultValue="60" error={errorFor(errors, 'limit')} />
      <TextField label="Window (seconds)" name="windowSeconds" type="number" min={1} max={86400} required defaultValue="60" error={errorFor(errors, 'windowSeconds')} />
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-3">
        <SubmitButton>Add policy</SubmitButton>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

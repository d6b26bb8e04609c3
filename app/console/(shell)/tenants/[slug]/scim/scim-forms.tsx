'use client';

import { createScimTokenSchema } from '@/lib/scim/token-schema';
import type { FormAction } from '@/components/ui/action-state';
import { zodFieldErrors } from '@/components/ui/action-state';
import { CopyableValue } from '@/components/ui/copy-button';
import { TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useValidatedAction } from '@/components/ui/use-validated-action';

const validate = (fd: FormData) => {
  const days = String(fd.get('expiresInDays') ?? '').trim();
  const parsed = createScimTokenSchema.safeParse({ name: fd.get('name'), expiresInDays: days === '' ? undefined : days });
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

/** Creates a token and shows it once, with the base URL to configure in the provisioning client. */
export function ScimTokenCreateForm({ action, slug, baseUrl }: { action: FormAction; slug: string; baseUrl: string }) {
  const { state, serverState, formAction, onSubmit, errors, formRef } = useValidatedAction(action, validate, { resetOnSuccess: true });
  const created = serverState.ok ? (serverState.result as { token: string; name: string } | undefined) : undefined;
  return (
    <div className="space-y-4">
      {created && (
        <div role="status" className="space-y-2 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
          <p className="text-sm font-semibold text-amber-900">Token “{created.name}”: copy it now</p>
          <p className="text-sm text-amber-900">This is the only time the token is shown. Only a hash is stored: if it is lost, revoke it and create another.</p>
          <dl className="space-y-2 text-sm">
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-amber-800">Tenant URL (SCIM base URL)</dt>
              <dd>
                <CopyableValue value={baseUrl} label="SCIM base URL" />
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-amber-800">Secret token (Bearer)</dt>
              <dd>
                <CopyableValue value={created.token} label="SCIM token" testId="scim-token" />
              </dd>
            </div>
          </dl>
        </div>
      )}
      <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end" aria-label="Create a SCIM token">
        <input type="hidden" name="slug" value={slug} />
        <TextField label="Name" name="name" required maxLength={100} autoComplete="off" placeholder="Entra ID" hint="Who uses it. Every change made with the token is recorded under this name." error={errorFor(errors, 'name')} />
        <TextField label="Expires in (days)" name="expiresInDays" inputMode="numeric" placeholder="never" hint="Empty: no expiry." error={errorFor(errors, 'expiresInDays')} />
        <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
      </form>
      {!state.ok && <FormMessage state={state} />}
    </div>
  );
}

export function ScimPasswordsForm({ action, slug, accept, disabled }: { action: FormAction; slug: string; accept: boolean; disabled: boolean }) {
  const { state, formAction, onSubmit } = useValidatedAction(action);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" aria-label="Passwords over SCIM">
      <input type="hidden" name="slug" value={slug} />
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" name="accept" defaultChecked={accept} disabled={disabled} className="mt-0.5 h-4 w-4 rounded border-slate-300" />
        <span>
          Accept passwords from SCIM clients (<code className="font-mono text-xs">password</code> on create, replace and PATCH). They are hashed with Argon2id, checked against the tenant&apos;s password policy and never returned. Off: requests that carry a password are refused, and ServiceProviderConfig says <code className="font-mono text-xs">changePassword.supported: false</code>.
        </span>
      </label>
      {!disabled && <SubmitButton variant="secondary">Save</SubmitButton>}
      <FormMessage state={state} />
    </form>
  );
}

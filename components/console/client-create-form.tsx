'use client';

import Link from 'next/link';
import { useState } from 'react';
import { clientKinds, registerClientSchema } from '@/lib/clients/schemas';
import { zodFieldErrors, type FormAction } from '@/components/ui/action-state';
import { SelectField, TextAreaField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SecretOnce } from '@/components/ui/secret-once';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { CLIENT_KIND_INFO, type ClientKindName } from './client-kinds';
import { clientCreateInput } from './form-inputs';

export interface CreatedClient {
  clientId: string;
  clientSecret: string | null;
  name: string;
}

const validate = (fd: FormData) => {
  const parsed = registerClientSchema.safeParse(clientCreateInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

/** Registers an application; a confidential one's secret is shown here once and never again. */
export function ClientCreateForm({ action, tenantSlug }: { action: FormAction<CreatedClient>; tenantSlug: string }) {
  const { state, serverState, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  const [kind, setKind] = useState<ClientKindName>('web');
  const created = serverState.ok ? serverState.result : undefined;
  const base = `/console/tenants/${tenantSlug}/clients`;

  if (created) {
    return (
      <div className="space-y-4">
        <p role="status" className="text-sm text-slate-700">
          <strong>{created.name}</strong> is registered.
        </p>
        {created.clientSecret ? (
          <SecretOnce clientId={created.clientId} secret={created.clientSecret} />
        ) : (
          <p className="text-sm text-slate-600">
            Client ID <code className="rounded bg-slate-100 px-1 font-mono">{created.clientId}</code>. This is a public client: it has no secret and must use PKCE.
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <Link href={`${base}/${encodeURIComponent(created.clientId)}`} className={buttonStyles.primary}>
            Open the application and its quick start
          </Link>
          <Link href={base} className={buttonStyles.secondary}>
            Back to applications
          </Link>
        </div>
      </div>
    );
  }

  const info = CLIENT_KIND_INFO[kind];
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Register an application">
      <input type="hidden" name="slug" value={tenantSlug} />
      <FormMessage state={state} />
      <TextField label="Name" name="name" required maxLength={100} placeholder="Customer portal" hint="Shown to users on the consent screen." error={errorFor(errors, 'name')} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Application type</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {clientKinds.map((k) => (
            <label key={k} className="flex cursor-pointer gap-3 rounded-lg p-3 ring-1 ring-slate-200 hover:bg-slate-50 has-[:checked]:bg-indigo-50 has-[:checked]:ring-2 has-[:checked]:ring-indigo-500">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-1 h-4 w-4 text-indigo-600 focus:ring-indigo-500" />
              <span>
                <span className="block text-sm font-semibold text-slate-900">{CLIENT_KIND_INFO[k].label}</span>
                <span className="block text-xs text-slate-600">{CLIENT_KIND_INFO[k].summary}</span>
              </span>
            </label>
          ))}
        </div>
        <p className="mt-2 text-xs text-slate-600" aria-live="polite">
          {info.details}
        </p>
        {errorFor(errors, 'kind') && <p className="mt-1 text-sm text-red-700">{errorFor(errors, 'kind')}</p>}
      </fieldset>
      {(kind === 'web' || kind === 'machine') && (
        <SelectField
          label="Client authentication"
          name="tokenEndpointAuthMethod"
          defaultValue="client_secret_basic"
          options={[
            { value: 'client_secret_basic', label: 'Secret in HTTP Basic (client_secret_basic)' },
            { value: 'client_secret_post', label: 'Secret in the request body (client_secret_post)' },
          ]}
          hint="How the application sends its secret to the token endpoint. Prefer HTTP Basic unless its library cannot."
          error={errorFor(errors, 'tokenEndpointAuthMethod')}
        />
      )}
      {kind !== 'machine' && (
        <>
          <TextAreaField label="Redirect URIs" name="redirectUris" required placeholder={info.redirectPlaceholder} hint="One per line. Exact match, no wildcards, no fragments." error={errorFor(errors, 'redirectUris')} />
          <TextAreaField label="Post-logout redirect URIs (optional)" name="postLogoutRedirectUris" placeholder={info.logoutPlaceholder} hint="One per line. Where users may return after signing out." error={errorFor(errors, 'postLogoutRedirectUris')} />
        </>
      )}
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Registering…' : 'Register application'}
      </button>
    </form>
  );
}

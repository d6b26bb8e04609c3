'use client';

import { updateClientSchema, type ClientKind } from '@/lib/clients/schemas';
import { zodFieldErrors, type FormAction } from '@/components/ui/action-state';
import { TextAreaField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { CLIENT_KIND_INFO } from './client-kinds';
import { clientUpdateInput } from './form-inputs';

export function ClientEditForm({ action, tenantSlug, client, readOnly }: { action: FormAction; tenantSlug: string; client: { clientId: string; name: string; kind: ClientKind; redirectUris: string[]; postLogoutRedirectUris: string[] }; readOnly: boolean }) {
  const validate = (fd: FormData) => {
    const parsed = updateClientSchema(client.kind).safeParse(clientUpdateInput(fd, client.kind));
    return parsed.success ? null : zodFieldErrors(parsed.error.issues);
  };
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  const info = CLIENT_KIND_INFO[client.kind];
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Edit application">
      <input type="hidden" name="slug" value={tenantSlug} />
      <input type="hidden" name="clientId" value={client.clientId} />
      <FormMessage state={state} />
      <fieldset disabled={readOnly} className="space-y-4">
        <TextField label="Name" name="name" defaultValue={client.name} required maxLength={100} error={errorFor(errors, 'name')} />
        {client.kind !== 'machine' && (
          <>
            <TextAreaField label="Redirect URIs" name="redirectUris" rows={4} defaultValue={client.redirectUris.join('\n')} placeholder={info.redirectPlaceholder} hint="One per line. Exact match, no wildcards, no fragments." error={errorFor(errors, 'redirectUris')} />
            <TextAreaField label="Post-logout redirect URIs" name="postLogoutRedirectUris" rows={2} defaultValue={client.postLogoutRedirectUris.join('\n')} placeholder={info.logoutPlaceholder} hint="One per line." error={errorFor(errors, 'postLogoutRedirectUris')} />
          </>
        )}
      </fieldset>
      {!readOnly && (
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Saving…' : 'Save changes'}
        </button>
      )}
    </form>
  );
}

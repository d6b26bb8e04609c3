'use client';

import { grantTypes, updateTenantSchema } from '@/lib/tenants/schemas';
import { zodFieldErrors, type FormAction } from '@/components/ui/action-state';
import { CheckboxGroup, SelectField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { tenantSettingsInput } from './form-inputs';

export interface TenantSettingsValues {
  displayName: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlDays?: number;
  allowedGrantTypes?: string[];
  passwordMinLength?: number;
  mfaPolicy?: string;
  mfaRequiredFor?: string;
}

const validate = (fd: FormData) => {
  const parsed = updateTenantSchema.safeParse(tenantSettingsInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

const GRANT_HINTS: Record<string, string> = {
  authorization_code: 'Users sign in through the browser (web, single-page and native apps).',
  refresh_token: 'Apps keep users signed in without asking again.',
  client_credentials: 'Machine-to-machine access, no user involved.',
};

export function TenantSettingsForm({ action, slug, values, defaults, readOnly }: { action: FormAction; slug: string; values: TenantSettingsValues; defaults: { accessTokenTtlSeconds: number; refreshTokenTtlDays: number; passwordMinLength: number; mfa: string }; readOnly: boolean }) {
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Tenant settings">
      <input type="hidden" name="slug" value={slug} />
      <FormMessage state={state} />
      <fieldset disabled={readOnly} className="space-y-5">
        <TextField label="Display name" name="displayName" defaultValue={values.displayName} required maxLength={100} error={errorFor(errors, 'displayName')} />
        <div className="grid gap-5 sm:grid-cols-3">
          <TextField
            label="Access token lifetime (seconds)"
            name="accessTokenTtlSeconds"
            type="number"
            inputMode="numeric"
            min={60}
            max={86400}
            defaultValue={values.accessTokenTtlSeconds}
            placeholder={String(defaults.accessTokenTtlSeconds)}
            hint={`60–86400. Blank: the default, ${defaults.accessTokenTtlSeconds}.`}
            error={errorFor(errors, 'settings.accessTokenTtlSeconds')}
          />
          <TextField
            label="Refresh token lifetime (days)"
            name="refreshTokenTtlDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            defaultValue={values.refreshTokenTtlDays}
            placeholder={String(defaults.refreshTokenTtlDays)}
            hint={`1–365. Blank: the default, ${defaults.refreshTokenTtlDays}.`}
            error={errorFor(errors, 'settings.refreshTokenTtlDays')}
          />
          <TextField
            label="Minimum password length"
            name="passwordMinLength"
            type="number"
            inputMode="numeric"
            min={8}
            max={128}
            defaultValue={values.passwordMinLength}
            placeholder={String(defaults.passwordMinLength)}
            hint={`8–128. Blank: the default, ${defaults.passwordMinLength}.`}
            error={errorFor(errors, 'settings.passwordMinLength')}
          />
        </div>
        <CheckboxGroup
          legend="Allowed grant types"
          name="allowedGrantTypes"
          hint="Applications can only use the grant types allowed here, whatever their own registration says."
          options={grantTypes.map((g) => ({ value: g, label: g, hint: GRANT_HINTS[g] }))}
          defaultValues={values.allowedGrantTypes ?? [...grantTypes]}
          error={errorFor(errors, 'settings.allowedGrantTypes')}
        />
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField
            label="Multi-factor authentication"
            name="mfaPolicy"
            defaultValue={values.mfaPolicy ?? ''}
            hint={`Default: ${defaults.mfa}.`}
            options={[
              { value: '', label: 'Default' },
              { value: 'off', label: 'Off: no second factor' },
              { value: 'optional', label: 'Optional: users may enrol an authenticator' },
              { value: 'required', label: 'Required' },
            ]}
            error={errorFor(errors, 'settings.mfaPolicy')}
          />
          <SelectField
            label="When required, required of"
            name="mfaRequiredFor"
            defaultValue={values.mfaRequiredFor ?? ''}
            hint="Console administrators are users of the admin tenant with the owner or admin role."
            options={[
              { value: '', label: 'Default' },
              { value: 'all', label: 'Every user' },
              { value: 'admins', label: 'Console owners and admins only' },
            ]}
            error={errorFor(errors, 'settings.mfaRequiredFor')}
          />
        </div>
      </fieldset>
      {!readOnly && (
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Saving…' : 'Save settings'}
        </button>
      )}
    </form>
  );
}

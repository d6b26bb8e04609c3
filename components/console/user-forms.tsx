'use client';

import { useRef, useState } from 'react';
import { createUserSchema, passwordSchema, updateUserSchema } from '@/lib/users/schemas';
import { zodFieldErrors, type FormAction } from '@/components/ui/action-state';
import { CheckboxField, TextField, errorFor } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { buttonStyles } from '@/components/ui/styles';
import { useValidatedAction } from '@/components/ui/use-validated-action';
import { userCreateInput, userUpdateInput } from './form-inputs';

/** The tenant's minimum on top of the product-wide password rules. */
function passwordIssue(password: string | undefined, minLength: number): string | null {
  if (password === undefined) return null;
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) return parsed.error.issues[0].message;
  return password.length < minLength ? `at least ${minLength} characters (this tenant's policy)` : null;
}

/** A random password from an unambiguous alphabet (crypto-grade), for temporary passwords. */
function generatePassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint32Array(20));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

function PasswordInput({ label, hint, error, minLength, required }: { label: string; hint: string; error?: string; minLength: number; required?: boolean }) {
  const ref = useRef<HTMLInputElement>(null);
  const [visible, setVisible] = useState(false);
  return (
    <div className="space-y-1">
      <TextField ref={ref} label={label} name="password" type={visible ? 'text' : 'password'} autoComplete="new-password" minLength={minLength} maxLength={256} required={required} hint={hint} error={error} />
      <div className="flex gap-2">
        <button
          type="button"
          className={`${buttonStyles.ghost} px-2 py-1 text-xs`}
          onClick={() => {
            if (ref.current) ref.current.value = generatePassword();
            setVisible(true);
          }}
        >
          Generate
        </button>
        <button type="button" className={`${buttonStyles.ghost} px-2 py-1 text-xs`} aria-pressed={visible} onClick={() => setVisible((v) => !v)}>
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
    </div>
  );
}

export function UserCreateForm({ action, tenantSlug, passwordMinLength }: { action: FormAction; tenantSlug: string; passwordMinLength: number }) {
  const validate = (fd: FormData) => {
    const input = userCreateInput(fd);
    const parsed = createUserSchema.safeParse(input);
    const errors = parsed.success ? {} : zodFieldErrors(parsed.error.issues);
    const pw = passwordIssue(input.password, passwordMinLength);
    if (pw) errors.password ??= pw;
    return Object.keys(errors).length ? errors : null;
  };
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validate);
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create a user">
      <input type="hidden" name="slug" value={tenantSlug} />
      <FormMessage state={state} />
      <TextField label="Username" name="username" required maxLength={128} autoComplete="off" spellCheck={false} hint="Letters, digits and . _ @ + -; stored in lower case." error={errorFor(errors, 'username')} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Email (optional)" name="email" type="email" maxLength={254} autoComplete="off" error={errorFor(errors, 'email')} />
        <TextField label="Full name (optional)" name="name" maxLength={200} autoComplete="off" error={errorFor(errors, 'name')} />
      </div>
      <CheckboxField label="Email address is verified" name="emailVerified" hint="Only tick this when you know the address belongs to the user." />
      <PasswordInput label="Initial password (optional)" hint={`At least ${passwordMinLength} characters. Leave blank to create the user without a password.`} error={errorFor(errors, 'password')} minLength={passwordMinLength} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>
        {pending ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}

const validateProfile = (fd: FormData) => {
  const parsed = updateUserSchema.safeParse(userUpdateInput(fd));
  return parsed.success ? null : zodFieldErrors(parsed.error.issues);
};

export function UserProfileForm({ action, tenantSlug, user, readOnly }: { action: FormAction; tenantSlug: string; user: { id: string; email: string | null; emailVerified: boolean; name: string | null }; readOnly: boolean }) {
  const { state, formAction, onSubmit, pending, errors } = useValidatedAction(action, validateProfile);
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Profile">
      <input type="hidden" name="slug" value={tenantSlug} />
      <input type="hidden" name="userId" value={user.id} />
      <FormMessage state={state} />
      <fieldset disabled={readOnly} className="space-y-4">
        <TextField label="Email" name="email" type="email" maxLength={254} defaultValue={user.email ?? ''} error={errorFor(errors, 'email')} />
        <CheckboxField label="Email address is verified" name="emailVerified" defaultChecked={user.emailVerified} />
        <TextField label="Full name" name="name" maxLength={200} defaultValue={user.name ?? ''} error={errorFor(errors, 'name')} />
      </fieldset>
      {!readOnly && (
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Saving…' : 'Save profile'}
        </button>
      )}
    </form>
  );
}

export function TemporaryPasswordForm({ action, tenantSlug, userId, passwordMinLength }: { action: FormAction; tenantSlug: string; userId: string; passwordMinLength: number }) {
  const validate = (fd: FormData) => {
    const pw = passwordIssue(String(fd.get('password') ?? ''), passwordMinLength);
    return pw ? { password: pw } : null;
  };
  const { state, formAction, onSubmit, pending, errors, formRef } = useValidatedAction(action, validate, { resetOnSuccess: true });
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Set a temporary password">
      <input type="hidden" name="slug" value={tenantSlug} />
      <input type="hidden" name="userId" value={userId} />
      <FormMessage state={state} />
      <PasswordInput label="Temporary password" required hint="The user must choose a new password at the next sign-in. Their sessions end now." error={errorFor(errors, 'password')} minLength={passwordMinLength} />
      <button type="submit" disabled={pending} className={buttonStyles.secondary}>
        {pending ? 'Setting…' : 'Set temporary password'}
      </button>
    </form>
  );
}

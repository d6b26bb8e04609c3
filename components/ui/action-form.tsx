'use client';

import { useActionState, useEffect, useId, useRef, useState } from 'react';
import type { ActionState, FormAction } from './action-state';
import { FormMessage } from './form-message';
import { SecretOnce } from './secret-once';
import { SubmitButton } from './submit-button';
import { buttonStyles, inputStyles, type ButtonVariant } from './styles';

export interface Confirmation {
  title: string;
  body: React.ReactNode;
  confirmLabel?: string;
  /** The user must type this exact text (sent as `confirmation`) before confirming. */
  typeToConfirm?: string;
}

/**
 * One button that runs one server action, with hidden inputs. With `confirm`, the button opens a
 * native <dialog> (focus moves into it, Escape cancels) and the action runs only from there.
 */
export function ActionForm({ action, hidden = {}, label, variant = 'secondary', confirm, successMessage, showsSecret = false, align = 'start' }: { action: FormAction; hidden?: Record<string, string>; label: string; variant?: ButtonVariant; confirm?: Confirmation; successMessage?: string; /** The result carries { clientId, clientSecret } to show once. */ showsSecret?: boolean; /** Where the button and its message line up (end: in a header's action area). */ align?: 'start' | 'end' }) {
  const wrapper = `flex max-w-full flex-col gap-2 ${align === 'end' ? 'items-end text-right sm:max-w-sm' : 'items-start'}`;
  const [state, formAction] = useActionState<ActionState, FormData>(action, {});
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const inputId = useId();
  // Close the dialog once the action succeeded; keep it open to show an error.
  useEffect(() => {
    if (state.ok) dialogRef.current?.close();
  }, [state]);
  const hiddenInputs = Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  const shown = state.ok && successMessage ? { ...state, message: successMessage } : state;

  if (!confirm) {
    return (
      <form action={formAction} className={wrapper}>
        {hiddenInputs}
        <SubmitButton variant={variant}>{label}</SubmitButton>
        <FormMessage state={shown} />
      </form>
    );
  }
  return (
    <div className={wrapper}>
      <button
        type="button"
        className={buttonStyles[variant]}
        aria-haspopup="dialog"
        onClick={() => {
          setTyped('');
          dialogRef.current?.showModal();
        }}
      >
        {label}
      </button>
      {state.ok && <FormMessage state={shown} />}
      {showsSecret && state.ok && isSecretResult(state.result) && <SecretOnce clientId={state.result.clientId} secret={state.result.clientSecret} title="New client secret" />}
      <dialog ref={dialogRef} aria-labelledby={titleId} className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/50">
        <form action={formAction} className="space-y-4 p-5">
          {hiddenInputs}
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            {confirm.title}
          </h2>
          <div className="space-y-2 text-sm text-slate-700">{confirm.body}</div>
          {confirm.typeToConfirm && (
            <div>
              <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
                Type <code className="rounded bg-slate-100 px-1 font-mono">{confirm.typeToConfirm}</code> to confirm
              </label>
              <input id={inputId} name="confirmation" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} className={inputStyles} aria-invalid={state.fieldErrors?.confirmation ? true : undefined} />
            </div>
          )}
          {!state.ok && <FormMessage state={state} />}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" autoFocus className={buttonStyles.secondary} onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <SubmitButton variant={variant === 'danger' || variant === 'dangerOutline' ? 'danger' : 'primary'} disabled={confirm.typeToConfirm !== undefined && typed !== confirm.typeToConfirm}>
              {confirm.confirmLabel ?? label}
            </SubmitButton>
          </div>
        </form>
      </dialog>
    </div>
  );
}

function isSecretResult(value: unknown): value is { clientId: string; clientSecret: string } {
  return typeof value === 'object' && value !== null && typeof (value as { clientSecret?: unknown }).clientSecret === 'string' && typeof (value as { clientId?: unknown }).clientId === 'string';
}

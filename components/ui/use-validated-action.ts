'use client';

import { startTransition, useActionState, useEffect, useRef, useState } from 'react';
import type { ActionState, FormAction } from './action-state';

/**
 * A server action behind a form, validated in the browser first with the same schema the server
 * uses (the server validates again: the browser check only saves a round trip). Submitting
 * through startTransition keeps what the user typed when the server answers with errors;
 * `resetOnSuccess` clears the form once the server accepted it.
 */
export function useValidatedAction<T>(action: FormAction<T>, validate?: (formData: FormData) => Record<string, string> | null, { resetOnSuccess = false } = {}) {
  const [state, formAction, pending] = useActionState<ActionState<T>, FormData>(action, {});
  const [clientErrors, setClientErrors] = useState<Record<string, string> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok && resetOnSuccess) formRef.current?.reset();
  }, [state, resetOnSuccess]);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    const errors = validate?.(formData) ?? null;
    setClientErrors(errors);
    if (errors) return;
    startTransition(() => formAction(formData));
  };
  const shown: ActionState<T> = clientErrors ? { message: 'Please correct the highlighted fields.', fieldErrors: clientErrors } : state;
  return { state: shown, serverState: state, formAction, onSubmit, pending, errors: shown.fieldErrors, formRef };
}

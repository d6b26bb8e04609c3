'use client';

import { useId } from 'react';
import { inputStyles } from './styles';

export type FieldErrors = Record<string, string> | undefined;

/** The first error for a field or any of its items (zod paths such as `redirectUris.2`). */
export function errorFor(errors: FieldErrors, name: string): string | undefined {
  if (!errors) return undefined;
  if (errors[name]) return errors[name];
  const key = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
  return key ? errors[key] : undefined;
}

interface Described {
  label: React.ReactNode;
  name: string;
  hint?: React.ReactNode;
  error?: string;
}

/** Label, control, hint and error wired together: the control is described by the hint and the error. */
function FieldFrame({ label, hint, error, children, id }: Omit<Described, 'name'> & { id: string; children: (ids: { describedBy?: string }) => React.ReactNode }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ describedBy })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, name, hint, error, ...input }: Described & Omit<React.ComponentProps<'input'>, 'name'>) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {({ describedBy }) => <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={inputStyles} {...input} />}
    </FieldFrame>
  );
}

export function TextAreaField({ label, name, hint, error, ...input }: Described & Omit<React.ComponentProps<'textarea'>, 'name'>) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {({ describedBy }) => <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={`${inputStyles} font-mono`} rows={3} {...input} />}
    </FieldFrame>
  );
}

export function SelectField({ label, name, hint, error, options, ...select }: Described & { options: { value: string; label: string }[] } & Omit<React.ComponentProps<'select'>, 'name'>) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {({ describedBy }) => (
        <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} className={inputStyles} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxField({ label, name, hint, error, value = 'on', ...input }: Described & Omit<React.ComponentProps<'input'>, 'name' | 'type'>) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        name={name}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"
        {...input}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {hint && (
          <p id={hintId} className="text-xs text-slate-500">
            {hint}
          </p>
        )}
        {error && (
          <p id={errorId} className="text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

/** A group of checkboxes sharing one name, with one legend and one error. */
export function CheckboxGroup({ legend, name, options, defaultValues = [], hint, error, disabled }: { legend: string; name: string; options: { value: string; label: string; hint?: string }[]; defaultValues?: string[]; hint?: string; error?: string; disabled?: boolean }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {hint && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      <div className="mt-2 space-y-2">
        {options.map((o) => (
          <label key={o.value} className="flex items-start gap-2 text-sm">
            <input type="checkbox" name={name} value={o.value} defaultChecked={defaultValues.includes(o.value)} disabled={disabled} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500" />
            <span>
              <span className="font-mono text-slate-800">{o.label}</span>
              {o.hint && <span className="block text-xs text-slate-500">{o.hint}</span>}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}

'use client';

import { useFormStatus } from 'react-dom';
import { buttonStyles, type ButtonVariant } from './styles';

/** A submit button that shows progress and cannot be pressed twice while its form is pending. */
export function SubmitButton({ children, variant = 'primary', pendingLabel, className = '', ...rest }: { children: React.ReactNode; variant?: ButtonVariant; pendingLabel?: string } & React.ButtonHTMLAttributes<HTMLButtonElement>) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || rest.disabled} aria-disabled={pending || undefined} className={`${buttonStyles[variant]} ${className}`} {...rest}>
      {pending ? (pendingLabel ?? 'Working…') : children}
    </button>
  );
}

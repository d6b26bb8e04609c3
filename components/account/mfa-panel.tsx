'use client';

import { useActionState, useState, useTransition } from 'react';
import type { AccountActionState } from '@/app/t/[tenant]/account/actions';
import { TotpManualKey, TotpQrCode } from '@/components/auth/totp-key';

type Action = (prev: AccountActionState, form: FormData) => Promise<AccountActionState>;

const input = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';
const primary = 'rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-50';
const secondary = 'rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50';

function Alert({ message }: { message?: string }) {
  return message ? (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
      {message}
    </p>
  ) : null;
}

function Codes({ codes }: { codes: string[] }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">Save these recovery codes somewhere safe. Each works once; they will not be shown again.</p>
      <ul aria-label="Recovery codes" data-testid="recovery-codes" className="grid grid-cols-2 gap-2 rounded-md bg-slate-100 p-3 font-mono text-sm">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}

/** Enrol an authenticator: show the QR code and the manual key, confirm with a current code. */
export function EnrolPanel({ start, confirm }: { start: () => Promise<AccountActionState>; confirm: Action }) {
  const [started, setStarted] = useState<AccountActionState>({});
  const [pending, startTransition] = useTransition();
  const [state, confirmAction] = useActionState(confirm, {});
  const enrolment = state.enrolment ?? started.enrolment;
  if (state.recoveryCodes) {
    return (
      <div className="space-y-3">
        <p className="font-medium text-green-700">Two-step verification is on.</p>
        <Codes codes={state.recoveryCodes} />
      </div>
    );
  }
  if (!enrolment) {
    return (
      <div className="space-y-3">
        <Alert message={started.error} />
        <button type="button" className={primary} disabled={pending} onClick={() => startTransition(async () => setStarted(await start()))}>
          Set up an authenticator app
        </button>
      </div>
    );
  }
  return (
    <form action={confirmAction} className="space-y-3">
      <p className="text-sm text-slate-600">Scan the code with your authenticator app, then enter the 6-digit code it shows.</p>
      <TotpQrCode dataUrl={enrolment.qrDataUrl} className="rounded ring-1 ring-slate-200" />
      <TotpManualKey secret={enrolment.secret} className="break-all font-mono text-xs" />
      <Alert message={state.error} />
      <label className="block text-sm font-medium">
        Code from the app
        <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required className={input} />
      </label>
      <button type="submit" className={primary}>
        Turn on two-step verification
      </button>
    </form>
  );
}

/** Manage an enrolled authenticator: new recovery codes, or removal (after re-authentication). */
export function ManagePanel({ regenerate, remove, recoveryCodesRemaining }: { regenerate: Action; remove: Action; recoveryCodesRemaining: number }) {
  const [codesState, codesAction] = useActionState(regenerate, {});
  const [removeState, removeAction] = useActionState(remove, {});
  if (removeState.ok) return <p className="text-sm text-slate-700">Your authenticator was removed. Reload the page to set up a new one.</p>;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">{recoveryCodesRemaining} unused recovery codes.</p>
      <form action={codesAction} className="space-y-2">
        <h3 className="font-medium">New recovery codes</h3>
        <Alert message={codesState.error} />
        {codesState.recoveryCodes ? <Codes codes={codesState.recoveryCodes} /> : null}
        <label className="block text-sm">
          Current code from your app, or a recovery code
          <input name="code" autoComplete="one-time-code" required maxLength={32} className={input} />
        </label>
        <button type="submit" className={secondary}>
          Generate new codes
        </button>
      </form>
      <form action={removeAction} className="space-y-2">
        <h3 className="font-medium">Remove the authenticator</h3>
        <Alert message={removeState.error} />
        <label className="block text-sm">
          Current code from your app
          <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={20} className={input} />
        </label>
        <label className="block text-sm">
          or your password
          <input name="password" type="password" autoComplete="current-password" maxLength={256} className={input} />
        </label>
        <button type="submit" className={secondary}>
          Remove
        </button>
      </form>
    </div>
  );
}

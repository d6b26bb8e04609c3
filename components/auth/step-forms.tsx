import { CancelSignIn, ErrorMessage, primaryButton } from './auth-card';
import { TotpManualKey, TotpQrCode } from './totp-key';

const input = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

export function ChangePasswordForm({ action, csrf, minLength, error }: { action: string; csrf: string; minLength: number; error?: string }) {
  return (
    <>
      <p className="mb-4 text-sm text-slate-600">Your password was reset by an administrator. Choose a new one to continue.</p>
      <ErrorMessage message={error} />
      <form method="post" action={action} className="space-y-4">
        <input type="hidden" name="csrf" value={csrf} />
        <label className="block text-sm font-medium">
          New password
          <input name="password" type="password" autoComplete="new-password" required minLength={minLength} maxLength={256} autoFocus className={input} aria-describedby="password-hint" />
        </label>
        <p id="password-hint" className="text-xs text-slate-500">
          At least {minLength} characters. A long passphrase is best.
        </p>
        <label className="block text-sm font-medium">
          Repeat the new password
          <input name="confirm" type="password" autoComplete="new-password" required minLength={minLength} maxLength={256} className={input} />
        </label>
        <button type="submit" className={primaryButton}>
          Save and continue
        </button>
      </form>
    </>
  );
}

export function MfaChallengeForm({ action, abortAction, csrf, error, stepUp }: { action: string; abortAction: string; csrf: string; error?: string; stepUp: boolean }) {
  return (
    <>
      <p className="mb-4 text-sm text-slate-600">
        {stepUp ? 'This application asks for a second factor. ' : ''}Enter the 6-digit code from your authenticator app, or one of your recovery codes.
      </p>
      <ErrorMessage message={error} />
      <form method="post" action={action} className="space-y-4">
        <input type="hidden" name="csrf" value={csrf} />
        <label className="block text-sm font-medium">
          Authentication code
          <input name="code" inputMode="text" autoComplete="one-time-code" required autoFocus maxLength={20} pattern="[0-9]{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5}" className={`${input} tracking-widest`} />
        </label>
        <button type="submit" className={primaryButton}>
          Verify
        </button>
      </form>
      <CancelSignIn action={abortAction} csrf={csrf} />
    </>
  );
}

export function MfaEnrolForm({ action, csrf, qrDataUrl, secret, error }: { action: string; csrf: string; qrDataUrl: string; secret: string; error?: string }) {
  return (
    <>
      <p className="mb-4 text-sm text-slate-600">Your organisation requires a second factor. Scan this code with an authenticator app (such as Google Authenticator, 1Password or Authy), then enter the code it shows.</p>
      <ErrorMessage message={error} />
      <TotpQrCode dataUrl={qrDataUrl} className="mx-auto rounded ring-1 ring-slate-200" />
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-indigo-700">Can&apos;t scan? Enter the key by hand</summary>
        <TotpManualKey secret={secret} className="mt-2 break-all rounded bg-slate-100 p-2 font-mono text-xs" />
      </details>
      <form method="post" action={action} className="mt-4 space-y-4">
        <input type="hidden" name="csrf" value={csrf} />
        <label className="block text-sm font-medium">
          Code from the app
          <input name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={6} pattern="[0-9]{6}" className={`${input} tracking-widest`} />
        </label>
        <button type="submit" className={primaryButton}>
          Confirm and continue
        </button>
      </form>
    </>
  );
}

export function RecoveryCodesNotice({ action, csrf, codes }: { action: string; csrf: string; codes: string[] }) {
  return (
    <>
      <p className="mb-3 text-sm text-slate-600">Your authenticator is set up. Save these recovery codes somewhere safe: each works once if you lose your device. They will not be shown again.</p>
      <ul className="grid grid-cols-2 gap-2 rounded-md bg-slate-100 p-3 font-mono text-sm" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <form method="post" action={action} className="mt-4">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit" className={primaryButton} autoFocus>
          I have saved them — continue
        </button>
      </form>
    </>
  );
}

import { CancelSignIn, ErrorMessage, primaryButton } from './auth-card';

export function LoginForm({ action, abortAction, csrf, clientName, loginHint, error }: { action: string; abortAction: string; csrf: string; clientName: string; loginHint?: string; error?: string }) {
  return (
    <>
      <p className="mb-4 text-sm text-slate-600">
        to continue to <strong>{clientName}</strong>
      </p>
      <ErrorMessage message={error} />
      <form method="post" action={action} className="space-y-4">
        <input type="hidden" name="csrf" value={csrf} />
        <label className="block text-sm font-medium">
          Username or email
          <input name="username" autoComplete="username" required autoFocus defaultValue={loginHint} maxLength={254} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" autoComplete="current-password" required maxLength={256} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500" />
        </label>
        <button type="submit" className={primaryButton}>
          Sign in
        </button>
      </form>
      <CancelSignIn action={abortAction} csrf={csrf} />
    </>
  );
}

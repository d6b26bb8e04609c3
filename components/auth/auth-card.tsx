export function AuthCard({ tenantName, title, children }: { tenantName: string; title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <section className="w-full max-w-sm rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{tenantName}</p>
        <h1 className="mt-1 text-xl font-semibold">{title}</h1>
        <div className="mt-6">{children}</div>
      </section>
    </main>
  );
}

export function ErrorMessage({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
      {message}
    </p>
  );
}

export const primaryButton =
  'w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2';
export const secondaryButton =
  'w-full rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500';

/** Abandons the sign-in: the application receives access_denied. */
export function CancelSignIn({ action, csrf }: { action: string; csrf: string }) {
  return (
    <form method="post" action={action} className="mt-3">
      <input type="hidden" name="csrf" value={csrf} />
      <button type="submit" className={secondaryButton}>
        Cancel
      </button>
    </form>
  );
}

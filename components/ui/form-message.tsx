/** A form's outcome: success as a polite status, failure as an alert (read out by screen readers). */
export function FormMessage({ state }: { state: { ok?: boolean; message?: string } | undefined }) {
  if (!state?.message) return null;
  if (state.ok) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
        {state.message}
      </p>
    );
  }
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
      {state.message}
    </p>
  );
}

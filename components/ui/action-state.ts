/** What a console server action returns (the same shape as lib/http/console-action's ActionState). */
export interface ActionState<T = unknown> {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  result?: T;
}

export type FormAction<T = unknown> = (state: ActionState<T>, formData: FormData) => Promise<ActionState<T>>;

/** Field errors from a zod safeParse failure, keyed like the server's (`path.join('.')`). */
export function zodFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) out[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return out;
}

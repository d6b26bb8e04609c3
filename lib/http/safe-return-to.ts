/** Only console paths: a returnTo can never become an open redirect. */
export function safeReturnTo(value: string | null): string {
  return value && /^\/console(\/|$|\?)/.test(value) && !value.startsWith('//') && !value.includes('\\') ? value : '/console';
}

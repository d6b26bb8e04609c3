import { primaryButton, secondaryButton } from './auth-card';

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in to keep access while you are away',
};

export function ConsentForm({ action, csrf, clientName, scopes, claims, resources }: { action: string; csrf: string; clientName: string; scopes: string[]; claims: string[]; resources: string[] }) {
  return (
    <>
      <p className="text-sm text-slate-600">
        <strong>{clientName}</strong> is asking to:
      </p>
      <ul className="my-4 list-disc space-y-1 pl-5 text-sm">
        {scopes.map((scope) => (
          <li key={scope}>{SCOPE_TEXT[scope] ?? scope}</li>
        ))}
        {claims.length > 0 ? <li>Read these details: {claims.join(', ')}</li> : null}
        {resources.map((resource) => (
          <li key={resource}>
            Call <code className="rounded bg-slate-100 px-1">{resource}</code> on your behalf
          </li>
        ))}
      </ul>
      <form method="post" action={action} className="space-y-3">
        <input type="hidden" name="csrf" value={csrf} />
        <button type="submit" name="decision" value="allow" className={primaryButton} autoFocus>
          Allow
        </button>
        <button type="submit" name="decision" value="deny" className={secondaryButton}>
          Deny
        </button>
      </form>
    </>
  );
}

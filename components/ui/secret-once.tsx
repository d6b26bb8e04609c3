import { CopyableValue } from './copy-button';

/** A secret shown exactly once, right after it was generated; it is never retrievable again. */
export function SecretOnce({ clientId, secret, title = 'Client secret' }: { clientId: string; secret: string; title?: string }) {
  return (
    <div role="status" className="space-y-2 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
      <p className="text-sm font-semibold text-amber-900">{title}: copy it now</p>
      <p className="text-sm text-amber-900">This is the only time the secret is shown. Only a hash is stored: if it is lost, rotate the secret.</p>
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-amber-800">Client ID</dt>
          <dd>
            <CopyableValue value={clientId} label="client ID" testId="created-client-id" />
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-amber-800">Client secret</dt>
          <dd>
            <CopyableValue value={secret} label="client secret" testId="client-secret" />
          </dd>
        </div>
      </dl>
    </div>
  );
}

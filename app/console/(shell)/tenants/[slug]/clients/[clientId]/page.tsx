import { notFound } from 'next/navigation';
import { can } from '@/lib/authz';
import { getClientOrThrow, type ClientSummary } from '@/lib/clients';
import { isAppError } from '@/lib/errors';
import { issuerFor } from '@/lib/oidc';
import { ActionForm } from '@/components/ui/action-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyableValue } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { ClientEditForm } from '@/components/console/client-edit-form';
import { CLIENT_KIND_INFO } from '@/components/console/client-kinds';
import { formatDateTime } from '@/components/console/format';
import { requireTenantPage } from '../../../../_lib/tenant-access';
import { deleteClientAction, rotateClientSecretAction, setClientDisabledAction, updateClientAction } from './actions';

export const dynamic = 'force-dynamic';

function QuickStart({ client, issuer }: { client: ClientSummary; issuer: string }) {
  const discovery = `${issuer}/.well-known/openid-configuration`;
  const curl = [`curl -s -u "${client.clientId}:$CLIENT_SECRET" \\`, `  -d grant_type=client_credentials \\`, `  -d scope="api:read" \\`, `  ${issuer}/token`].join('\n');
  return (
    <dl className="space-y-3 text-sm">
      {[
        ['Issuer', issuer, 'issuer'],
        ['Discovery URL', discovery, 'discovery URL'],
        ['Client ID', client.clientId, 'client ID'],
      ].map(([label, value, name]) => (
        <div key={label} className="min-w-0">
          <dt className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd>
            <CopyableValue value={value} label={name} testId={`quickstart-${name.replace(/\s+/g, '-').toLowerCase()}`} />
          </dd>
        </div>
      ))}
      <div>
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Authentication</dt>
        <dd className="mt-1 text-slate-700">
          {client.hasSecret ? (
            <>
              Client secret, sent {client.tokenEndpointAuthMethod === 'client_secret_post' ? 'in the request body' : 'with HTTP Basic'} (<code className="font-mono">{client.tokenEndpointAuthMethod}</code>).
            </>
          ) : (
            <>Public client: no secret; PKCE (S256) is required.</>
          )}{' '}
          Grant types: <span className="font-mono">{client.grantTypes.join(', ') || '—'}</span>.
        </dd>
      </div>
      {client.kind === 'machine' ? (
        <div>
          <dt className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Get a token</dt>
          <dd>
            <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">
              <code>{curl}</code>
            </pre>
            <p className="mt-1 text-xs text-slate-500">The access token is a JWT (RFC 9068) for the tenant API; verify it with the issuer&apos;s JWKS.</p>
          </dd>
        </div>
      ) : (
        <div>
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Next steps</dt>
          <dd className="mt-1 text-slate-700">
            Point any certified OpenID Connect library at the discovery URL with this client ID{client.hasSecret ? ' and your secret' : ''}, use the authorization code flow with PKCE, and ask for the scopes <code className="font-mono">openid profile email</code>.
          </dd>
        </div>
      )}
    </dl>
  );
}

export default async function ClientPage({ params }: { params: Promise<{ slug: string; clientId: string }> }) {
  const { slug, clientId: rawId } = await params;
  const clientId = decodeURIComponent(rawId);
  const { identity, tenant } = await requireTenantPage(slug, 'client.read', `/console/tenants/${slug}/clients/${rawId}`);
  let client: ClientSummary;
  try {
    client = await getClientOrThrow(tenant.id, clientId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const mayWrite = can(identity.principal, 'client.write', tenant.id);
  const hidden = { slug: tenant.slug, clientId: client.clientId };
  return (
    <>
      <PageHeader
        title={client.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">{CLIENT_KIND_INFO[client.kind]?.label ?? client.kind}</Badge>
            {client.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">enabled</Badge>}
            <span>Registered {formatDateTime(client.createdAt)}</span>
          </span>
        }
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { href: `/console/tenants/${tenant.slug}/clients`, label: 'Applications' }, { label: client.name }]}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Quick start" description="Everything an application needs to sign users in with this tenant.">
          <QuickStart client={client} issuer={issuerFor(tenant.slug)} />
        </Card>
        <Card title="Settings" description={mayWrite ? undefined : 'Read only: your role cannot change applications.'}>
          <ClientEditForm action={updateClientAction} tenantSlug={tenant.slug} client={{ clientId: client.clientId, name: client.name, kind: client.kind, redirectUris: client.redirectUris, postLogoutRedirectUris: client.postLogoutRedirectUris }} readOnly={!mayWrite} />
        </Card>
      </div>
      {mayWrite && (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          {client.hasSecret && (
            <Card title="Client secret" description="Only a hash is stored, so the secret cannot be shown again. Rotate it if it is lost or leaked.">
              <ActionForm
                action={rotateClientSecretAction}
                hidden={hidden}
                label="Rotate secret"
                showsSecret
                confirm={{
                  title: 'Rotate the client secret?',
                  body: (
                    <>
                      <p>A new secret is generated and shown once. The current secret stops working immediately: the application fails to get tokens until it uses the new one.</p>
                    </>
                  ),
                  confirmLabel: 'Rotate secret',
                }}
              />
            </Card>
          )}
          <Card title="Availability" className={client.hasSecret ? '' : 'lg:col-span-2'}>
            <div className="flex flex-wrap items-start gap-3">
              {client.disabled ? (
                <ActionForm action={setClientDisabledAction} hidden={{ ...hidden, disabled: 'false' }} label="Enable application" />
              ) : (
                <ActionForm
                  action={setClientDisabledAction}
                  hidden={{ ...hidden, disabled: 'true' }}
                  label="Disable application"
                  variant="dangerOutline"
                  confirm={{ title: `Disable ${client.name}?`, body: <p>The issuer stops recognising this client: new sign-ins and token requests fail until you enable it again.</p>, confirmLabel: 'Disable' }}
                />
              )}
              <ActionForm
                action={deleteClientAction}
                hidden={hidden}
                label="Delete application"
                variant="danger"
                confirm={{ title: `Delete ${client.name}?`, body: <p>This cannot be undone. Every grant, code and token issued to the application is revoked.</p>, confirmLabel: 'Delete application' }}
              />
            </div>
          </Card>
        </div>
      )}
    </>
  );
}

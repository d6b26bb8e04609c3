import Link from 'next/link';
import { can } from '@/lib/authz';
import { listScimTokens, scimBaseUrl, scimOverview, type ScimTokenDto } from '@/lib/scim';
import { ActionForm } from '@/components/ui/action-form';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CopyableValue } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { linkStyles } from '@/components/ui/styles';
import { Table, cellStyles } from '@/components/ui/table';
import { formatDateTime, formatNumber } from '@/components/console/format';
import { requireTenantPage } from '../../../_lib/tenant-access';
import { createScimTokenAction, revokeScimTokenAction, setScimPasswordsAction } from './actions';
import { ScimPasswordsForm, ScimTokenCreateForm } from './scim-forms';

export const dynamic = 'force-dynamic';

const STATUS: Record<ScimTokenDto['status'], BadgeTone> = { active: 'green', expired: 'amber', revoked: 'gray' };

export default async function ScimPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'client.read', `/console/tenants/${slug}/scim`);
  const [tokens, overview] = await Promise.all([listScimTokens(tenant.id), scimOverview(tenant.id)]);
  const baseUrl = scimBaseUrl(tenant.slug);
  const canWrite = can(identity.principal, 'client.write', tenant.id);
  const canSettings = can(identity.principal, 'tenant.update', tenant.id);
  const canSeeUsers = can(identity.principal, 'user.read', tenant.id);
  return (
    <>
      <PageHeader
        title="SCIM provisioning"
        description="Identity providers and HR systems (Entra ID, Okta, Workday, scripts) create, update, deactivate and delete this tenant's users and groups over SCIM 2.0 (RFC 7643, RFC 7644)."
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'SCIM' }]}
      />
      <div className="space-y-6">
        <Card title="Endpoint" description="Configure this URL and a token below in the provisioning client.">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">SCIM base URL</dt>
              <dd className="mt-1">
                <CopyableValue value={baseUrl} label="SCIM base URL" testId="scim-base-url" />
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Authentication</dt>
              <dd className="mt-1 text-slate-700">
                <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code>. A token works for this tenant only and for SCIM only. What the server supports is at{' '}
                <code className="font-mono text-xs">{baseUrl}/ServiceProviderConfig</code>.
              </dd>
            </div>
          </dl>
        </Card>

        <Card title="Tokens" description="Shown once when created; only a hash is kept. Revoking takes effect on the next request.">
          <Table caption="SCIM tokens" head={['Name', 'Token', 'Status', 'Created', 'Last used', 'Expires', '']}>
            {tokens.map((t) => (
              <tr key={t.id} data-testid={`scim-token-${t.name}`}>
                <td className={`${cellStyles} font-medium`}>{t.name}</td>
                <td className={`${cellStyles} font-mono text-xs text-slate-600`}>{t.prefix}…</td>
                <td className={cellStyles}>
                  <Badge tone={STATUS[t.status]}>{t.status}</Badge>
                </td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>
                  {formatDateTime(t.createdAt)}
                  {t.createdBy && <span className="block text-xs text-slate-500">by {t.createdBy}</span>}
                </td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{t.status === 'revoked' ? `revoked ${formatDateTime(t.revokedAt)}` : t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
                <td className={`${cellStyles} text-right`}>
                  {canWrite && t.status !== 'revoked' && (
                    <ActionForm
                      action={revokeScimTokenAction}
                      hidden={{ slug: tenant.slug, tokenId: t.id }}
                      label="Revoke"
                      variant="dangerOutline"
                      align="end"
                      confirm={{ title: `Revoke the token “${t.name}”?`, body: <p>Provisioning with this token stops at once: its next request is refused (401). Users and groups it created stay.</p>, confirmLabel: 'Revoke token' }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
          {tokens.length === 0 && <p className="py-4 text-center text-sm text-slate-600">No tokens yet.</p>}
          {canWrite && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <ScimTokenCreateForm action={createScimTokenAction} slug={tenant.slug} baseUrl={baseUrl} />
            </div>
          )}
        </Card>

        <Card title="Passwords">
          <ScimPasswordsForm action={setScimPasswordsAction} slug={tenant.slug} accept={Boolean(tenant.settings.scimAcceptsPasswords)} disabled={!canSettings} />
        </Card>

        <Card title="Groups" description={`${formatNumber(overview.groupCount)} in this tenant, created and managed over SCIM.`}>
          <Table caption="Groups" head={['Name', 'External ID', 'Members', 'Last changed']}>
            {overview.groups.map((g) => (
              <tr key={g.id}>
                <td className={`${cellStyles} font-medium`}>{g.displayName}</td>
                <td className={`${cellStyles} font-mono text-xs text-slate-600`}>{g.externalId ?? '—'}</td>
                <td className={`${cellStyles} tabular-nums`}>{formatNumber(g.memberCount)}</td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(g.modifiedAt)}</td>
              </tr>
            ))}
          </Table>
          {overview.groups.length === 0 && <p className="py-4 text-center text-sm text-slate-600">No groups yet.</p>}
          {overview.groupCount > overview.groups.length && <p className="mt-2 text-sm text-slate-600">Showing the first {overview.groups.length}, by name.</p>}
        </Card>

        <Card title="Users created over SCIM" description={`${formatNumber(overview.provisionedUserCount)} of the tenant's ${formatNumber(overview.userCount)} users were created by a provisioning client; SCIM manages all of them.`}>
          <Table caption="Users created over SCIM" head={['Username', 'Name', 'External ID', 'Status', 'Created', 'Last changed']}>
            {overview.provisionedUsers.map((u) => (
              <tr key={u.id}>
                <td className={`${cellStyles} font-medium`}>
                  {canSeeUsers ? (
                    <Link href={`/console/tenants/${tenant.slug}/users/${u.id}`} className={linkStyles}>
                      {u.username}
                    </Link>
                  ) : (
                    u.username
                  )}
                </td>
                <td className={cellStyles}>{u.name ?? '—'}</td>
                <td className={`${cellStyles} font-mono text-xs text-slate-600`}>{u.externalId ?? '—'}</td>
                <td className={cellStyles}>{u.disabled ? <Badge tone="red">deactivated</Badge> : <Badge tone="green">active</Badge>}</td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(u.createdAt)}</td>
                <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(u.modifiedAt)}</td>
              </tr>
            ))}
          </Table>
          {overview.provisionedUsers.length === 0 && <p className="py-4 text-center text-sm text-slate-600">No users created over SCIM yet.</p>}
          {overview.provisionedUserCount > overview.provisionedUsers.length && <p className="mt-2 text-sm text-slate-600">Showing the {overview.provisionedUsers.length} most recent.</p>}
        </Card>
      </div>
    </>
  );
}

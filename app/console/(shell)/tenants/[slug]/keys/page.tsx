import { can } from '@/lib/authz';
import { getConfig } from '@/lib/config';
import { listSigningKeys, retentionSeconds, type SigningKeyDto } from '@/lib/keys';
import { issuerFor } from '@/lib/oidc';
import { ActionForm } from '@/components/ui/action-form';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, cellStyles } from '@/components/ui/table';
import { formatAge, formatDateTime, formatDuration } from '@/components/console/format';
import { requireTenantPage } from '../../../_lib/tenant-access';
import { rotateKeysAction } from './actions';

export const dynamic = 'force-dynamic';

const STATE: Record<SigningKeyDto['status'], { tone: BadgeTone; text: string }> = {
  next: { tone: 'blue', text: 'Published ahead of use, so verifiers already know it when it starts signing.' },
  current: { tone: 'green', text: 'Signs every new ID token and JWT access token.' },
  previous: { tone: 'amber', text: 'No longer signs; stays published until the tokens it signed expire.' },
  retired: { tone: 'gray', text: 'Withdrawn from the JWKS.' },
};

function KeyRows({ keys }: { keys: SigningKeyDto[] }) {
  return (
    <>
      {keys.map((k) => (
        <tr key={k.kid} data-testid={`key-${k.status}`}>
          <td className={cellStyles}>
            <Badge tone={STATE[k.status].tone}>{k.status}</Badge>
          </td>
          <td className={`${cellStyles} max-w-[14rem] truncate font-mono text-xs`} title={k.kid}>
            {k.kid}
          </td>
          <td className={`${cellStyles} font-mono text-xs`}>{k.alg}</td>
          <td className={`${cellStyles} tabular-nums`}>{k.bits}</td>
          <td className={`${cellStyles} whitespace-nowrap`}>{formatAge(k.createdAt)}</td>
          <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{formatDateTime(k.activatedAt)}</td>
          <td className={`${cellStyles} whitespace-nowrap text-slate-600`}>{k.status === 'retired' ? formatDateTime(k.retiredAt) : formatDateTime(k.retireAfter)}</td>
        </tr>
      ))}
    </>
  );
}

export default async function KeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { identity, tenant } = await requireTenantPage(slug, 'key.read', `/console/tenants/${slug}/keys`);
  const keys = await listSigningKeys(tenant.id, { includeRetired: true });
  const live = keys.filter((k) => k.status !== 'retired');
  const retired = keys.filter((k) => k.status === 'retired');
  const current = keys.find((k) => k.status === 'current');
  const rotationDays = getConfig().crypto.keyRotationDays;
  const retention = retentionSeconds(tenant.settings);
  const nextScheduled = current?.activatedAt ? new Date(current.activatedAt.getTime() + rotationDays * 86_400_000) : null;
  const head = ['State', 'Key ID (kid)', 'Alg', 'Bits', 'Age', 'Activated', 'Retire after'];
  return (
    <>
      <PageHeader
        title="Signing keys"
        description={
          <>
            Keys that sign this tenant&apos;s ID tokens and JWT access tokens. Verifiers fetch the public keys from <code className="font-mono text-xs">{issuerFor(tenant.slug)}/jwks</code>.
          </>
        }
        crumbs={[{ href: '/console/tenants', label: 'Tenants' }, { href: `/console/tenants/${tenant.slug}`, label: tenant.slug }, { label: 'Signing keys' }]}
        actions={
          can(identity.principal, 'key.rotate', tenant.id) ? (
            <ActionForm
              action={rotateKeysAction}
              hidden={{ slug: tenant.slug }}
              label="Rotate now"
              variant="primary"
              align="end"
              confirm={{
                title: 'Rotate the signing keys now?',
                body: (
                  <ol className="list-decimal space-y-1 pl-5">
                    <li>
                      The <strong>next</strong> key becomes <strong>current</strong> and signs every new token. Verifiers already have it: it has been published in the JWKS.
                    </li>
                    <li>
                      The <strong>current</strong> key becomes <strong>previous</strong>: it stops signing but stays published for {formatDuration(retention)} (the longest a token it signed can live), so tokens issued before the rotation keep verifying. Then it retires.
                    </li>
                    <li>A fresh <strong>next</strong> key is generated and published.</li>
                    <li>Nobody is signed out. Running servers pick the change up within seconds. The rotation is recorded in the audit log.</li>
                  </ol>
                ),
                confirmLabel: 'Rotate keys',
              }}
            />
          ) : undefined
        }
      />
      <Card>
        <Table caption="Published signing keys" head={head}>
          <KeyRows keys={live} />
        </Table>
        <dl className="mt-4 grid gap-2 text-sm text-slate-600 sm:grid-cols-3">
          {(['next', 'current', 'previous'] as const).map((s) => (
            <div key={s}>
              <dt className="inline font-medium text-slate-800">{s}: </dt>
              <dd className="inline">{STATE[s].text}</dd>
            </div>
          ))}
        </dl>
        {retired.length > 0 && (
          <details className="mt-4 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">Retired keys ({retired.length})</summary>
            <div className="mt-2">
              <Table caption="Retired signing keys" head={['State', 'Key ID (kid)', 'Alg', 'Bits', 'Age', 'Activated', 'Retired']}>
                <KeyRows keys={retired} />
              </Table>
            </div>
          </details>
        )}
      </Card>
      <Card title="Automatic rotation" className="mt-6">
        <p className="text-sm text-slate-700">
          Keys rotate every <strong>{rotationDays} days</strong> without anyone doing anything; each rotation is an audit event (<code className="font-mono text-xs">key.rotated</code>). A previous key stays published for {formatDuration(retention)} after it stops signing.
          {nextScheduled && (
            <>
              {' '}
              Next scheduled rotation: <strong>{formatDateTime(nextScheduled)}</strong>.
            </>
          )}
        </p>
      </Card>
    </>
  );
}

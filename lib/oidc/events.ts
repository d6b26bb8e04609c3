import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { emitEvent } from '@/lib/audit';
import { getLogger } from '@/lib/log';
import { getMetrics } from '@/lib/metrics';

type Tenant = { id: string; slug: string };

function requestFacts(ctx: KoaContextWithOIDC) {
  return {
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || null,
    clientId: ctx.oidc?.client?.clientId ?? null,
  };
}

function grantType(ctx: KoaContextWithOIDC): string {
  const value = (ctx.oidc?.params?.grant_type as string | undefined) ?? 'unknown';
  // Bound the label set: anything unexpected counts as "other".
  return ['authorization_code', 'refresh_token', 'client_credentials'].includes(value) ? value : 'other';
}

/**
 * Feeds oidc-provider's own events into metrics and the audit log, so every token operation is
 * counted where it happens rather than in UI code.
 */
export function attachProviderEvents(provider: Provider, tenant: Tenant) {
  const metrics = getMetrics();
  const tokenOp = (operation: string, grant: string, outcome: 'success' | 'failure') =>
    metrics.tokenOperations.inc({ tenant: tenant.slug, operation, grant_type: grant, outcome });

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grant = grantType(ctx);
    tokenOp('issue', grant, 'success');
    emitEvent({
      type: 'token.issued',
      outcome: 'success',
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      actor: { type: 'client', id: ctx.oidc.client?.clientId },
      subject: (ctx.oidc.entities as { Account?: { accountId: string } }).Account?.accountId ?? null,
      ...requestFacts(ctx),
      details: { grantType: grant },
    });
  });

  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: { error?: string; error_description?: string; message?: string }) => {
    const grant = grantType(ctx);
    tokenOp('issue', grant, 'failure');
    const reused = /refresh token already used/.test(`${error.error_description} ${error.message}`);
    emitEvent({
      type: reused ? 'token.refresh.reused' : 'token.issue.failed',
      outcome: 'failure',
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      actor: { type: 'client', id: ctx.oidc?.client?.clientId },
      ...requestFacts(ctx),
      reason: error.error ?? error.message,
      details: { grantType: grant, ...(reused ? { action: 'grant revoked' } : {}) },
    });
  });

  provider.on('introspection.error', () => tokenOp('introspect', 'none', 'failure'));
  provider.on('revocation.error', () => tokenOp('revoke', 'none', 'failure'));
  for (const model of ['access_token', 'refresh_token'] as const) {
    const onDestroyed = (token: { clientId?: string; accountId?: string }) => {
      tokenOp('revoke', 'none', 'success');
      emitEvent({ type: 'token.revoked', outcome: 'success', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'client', id: token.clientId }, subject: token.accountId ?? null, details: { tokenType: model } });
    };
    if (model === 'access_token') provider.on('access_token.destroyed', onDestroyed);
    else provider.on('refresh_token.destroyed', onDestroyed);
  }
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    emitEvent({ type: 'grant.revoked', outcome: 'success', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'system' }, ...requestFacts(ctx), details: { grantId } });
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    emitEvent({ type: 'user.logout.succeeded', outcome: 'success', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'user' }, ...requestFacts(ctx) });
  });
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    getLogger().error({ err: error, tenant: tenant.slug, path: ctx.path }, 'oidc-provider server error');
  });
}

import crypto from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { InteractionResults } from 'oidc-provider';
import { emitEvent } from '@/lib/audit';
import { constantTimeEqual, deriveKey } from '@/lib/crypto';
import { getMetrics } from '@/lib/metrics';
import { authenticateUser, loginSchema } from '@/lib/users';
import { getTenantProvider } from './registry';

/**
 * The sign-in interaction (login, consent) as plain services for the Next.js pages and form
 * handlers. oidc-provider binds an interaction to the browser with a signed, SameSite=Lax cookie;
 * we hand it the browser's Cookie header through a synthetic Node request.
 */
function nodeRequest(cookieHeader: string, path: string) {
  const req = new IncomingMessage(new Socket());
  req.headers = { cookie: cookieHeader, host: 'localhost' };
  req.url = path;
  req.method = 'GET';
  return { req, res: new ServerResponse(req) };
}

export interface RequestMeta {
  cookieHeader: string;
  ip?: string | null;
  userAgent?: string | null;
}

export type InteractionView =
  | { kind: 'login'; uid: string; clientName: string; tenantName: string; csrf: string; loginHint?: string }
  | { kind: 'consent'; uid: string; clientName: string; tenantName: string; csrf: string; scopes: string[]; claims: string[]; resources: string[] }
  | { kind: 'missing' };

export function csrfToken(uid: string): string {
  return crypto.createHmac('sha256', deriveKey('interaction-csrf')).update(uid).digest('base64url');
}

export const checkCsrf = (uid: string, presented: unknown) => typeof presented === 'string' && constantTimeEqual(csrfToken(uid), presented);

async function load(slug: string, uid: string, cookieHeader: string) {
  const entry = await getTenantProvider(slug);
  if (!entry || entry.tenant.disabled) return null;
  const { req, res } = nodeRequest(cookieHeader, `/t/${slug}/interaction/${uid}`);
  try {
    const details = await entry.provider.interactionDetails(req, res);
    if (details.uid !== uid) return null;
    return { entry, details, req, res };
  } catch {
    return null; // no cookie, expired or unknown interaction: the page says so
  }
}

export async function describeInteraction(slug: string, uid: string, cookieHeader: string): Promise<InteractionView> {
  const loaded = await load(slug, uid, cookieHeader);
  if (!loaded) return { kind: 'missing' };
  const { entry, details } = loaded;
  const client = await entry.provider.Client.find(String(details.params.client_id));
  const clientName = client?.clientName ?? String(details.params.client_id);
  const base = { uid, clientName, tenantName: entry.tenant.displayName, csrf: csrfToken(uid) };
  if (details.prompt.name === 'login') {
    const loginHint = typeof details.params.login_hint === 'string' ? details.params.login_hint.slice(0, 254) : undefined;
    return { kind: 'login', ...base, loginHint };
  }
  const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  return {
    kind: 'consent',
    ...base,
    scopes: promptDetails.missingOIDCScope ?? [],
    claims: promptDetails.missingOIDCClaims ?? [],
    resources: Object.keys(promptDetails.missingResourceScopes ?? {}),
  };
}

export type SubmitOutcome = { redirectTo: string } | { error: 'invalid_credentials' | 'invalid_request' | 'expired' };

async function finish(loaded: NonNullable<Awaited<ReturnType<typeof load>>>, result: InteractionResults): Promise<string> {
  return loaded.entry.provider.interactionResult(loaded.req, loaded.res, result, { mergeWithLastSubmission: false });
}

export async function submitLogin(slug: string, uid: string, form: { username?: unknown; password?: unknown; csrf?: unknown }, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded || loaded.details.prompt.name !== 'login') return { error: 'expired' };
  const parsed = loginSchema.safeParse(form);
  const { tenant } = loaded.entry;
  const clientId = String(loaded.details.params.client_id);
  const result = parsed.success ? await authenticateUser(tenant.id, parsed.data.username, parsed.data.password) : ({ ok: false, reason: 'invalid_credentials', userId: undefined } as const);
  getMetrics().authentications.inc({ tenant: tenant.slug, method: 'password', outcome: result.ok ? 'success' : 'failure' });
  emitEvent({
    type: result.ok ? 'user.login.succeeded' : 'user.login.failed',
    outcome: result.ok ? 'success' : 'failure',
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    actor: { type: 'user', id: result.ok ? result.user.id : (result.userId ?? null) },
    subject: result.ok ? result.user.id : (result.userId ?? null),
    clientId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    reason: result.ok ? null : result.reason,
  });
  if (!result.ok) return { error: 'invalid_credentials' };
  const redirectTo = await finish(loaded, { login: { accountId: result.user.id, amr: ['pwd'], acr: 'urn:iam:acr:pwd' } });
  return { redirectTo };
}

export async function submitConsent(slug: string, uid: string, form: { csrf?: unknown; decision?: unknown }, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded || loaded.details.prompt.name !== 'consent') return { error: 'expired' };
  const { details, entry } = loaded;
  if (form.decision !== 'allow') {
    emitEvent({ type: 'user.consent.denied', outcome: 'denied', tenantId: entry.tenant.id, tenantSlug: entry.tenant.slug, actor: { type: 'user', id: details.session?.accountId }, clientId: String(details.params.client_id), ip: meta.ip, userAgent: meta.userAgent });
    return { redirectTo: await finish(loaded, { error: 'access_denied', error_description: 'the user denied the request' }) };
  }
  const accountId = details.session!.accountId;
  const { Grant } = entry.provider;
  const grant = details.grantId ? await Grant.find(details.grantId) : new Grant({ accountId, clientId: String(details.params.client_id) });
  if (!grant) return { error: 'expired' };
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  emitEvent({ type: 'user.consent.granted', outcome: 'success', tenantId: entry.tenant.id, tenantSlug: entry.tenant.slug, actor: { type: 'user', id: accountId }, subject: accountId, clientId: String(details.params.client_id), ip: meta.ip, userAgent: meta.userAgent, details: { scopes: missing.missingOIDCScope } });
  return { redirectTo: await finish(loaded, { consent: { grantId } }) };
}

export async function abortInteraction(slug: string, uid: string, form: { csrf?: unknown }, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded) return { error: 'expired' };
  return { redirectTo: await finish(loaded, { error: 'access_denied', error_description: 'the user cancelled the sign-in' }) };
}

import crypto from 'node:crypto';
import type { InteractionResults } from 'oidc-provider';
import { emitEvent } from '@/lib/audit';
import { getConfig } from '@/lib/config';
import { constantTimeEqual, deriveKey } from '@/lib/crypto';
import { isAppError } from '@/lib/errors';
import { getMetrics } from '@/lib/metrics';
import { ACR_MFA, ACR_PASSWORD, clientRequestsMfa, clientRequiresMfa, confirmTotpEnrolment, findConfirmedTotp, mfaRequirementFor, pendingEnrolment, startTotpEnrolment, verifySecondFactor } from '@/lib/mfa';
import { authenticateUser, changeOwnPassword, loginSchema } from '@/lib/users';
import { getPrisma } from '@/lib/db';
import { checkLoginAllowed, checkSecondFactorAllowed, delayAfterFailure, forgetFailures, lockoutCounter, recordLoginFailure } from '@/lib/ratelimit';
import { threatVerdictFor } from '@/lib/threats';
import { openPending, sealPending, type PendingLogin, type PendingStage } from './login-pending';
import { getTenantProvider } from './registry';
import { cookieOnlyRequest } from './node-request';

/**
 * The sign-in interaction (password, new password, second factor, consent) as plain services
 * for the Next.js pages and form handlers. oidc-provider binds an interaction to the browser with
 * a signed, SameSite=Lax cookie; we hand it the browser's Cookie header through a synthetic
 * Node request.
 */
export interface RequestMeta {
  cookieHeader: string;
  ip?: string | null;
  userAgent?: string | null;
}

type Base = { uid: string; clientName: string; tenantName: string; csrf: string };
export type InteractionView =
  | ({ kind: 'login'; loginHint?: string } & Base)
  | ({ kind: 'consent'; scopes: string[]; claims: string[]; resources: string[] } & Base)
  | ({ kind: 'change_password'; minLength: number } & Base)
  | ({ kind: 'mfa_challenge'; stepUp: boolean } & Base)
  | ({ kind: 'mfa_enrol'; qrDataUrl: string; secret: string } & Base)
  | ({ kind: 'mfa_recovery_codes'; codes: string[] } & Base)
  | { kind: 'missing' };

/**
 * Prompts answered by the sign-in form: `login`, and `select_account` (OIDC Core §3.1.2.1), where
 * the user chooses the account by signing in with it.
 */
const isSignInPrompt = (name: string) => name === 'login' || name === 'select_account';

export function csrfToken(uid: string): string {
  return crypto.createHmac('sha256', deriveKey('interaction-csrf')).update(uid).digest('base64url');
}

export const checkCsrf = (uid: string, presented: unknown) => typeof presented === 'string' && constantTimeEqual(csrfToken(uid), presented);

async function load(slug: string, uid: string, cookieHeader: string) {
  const entry = await getTenantProvider(slug);
  if (!entry || entry.tenant.disabled) return null;
  const { req, res } = cookieOnlyRequest(cookieHeader, `/t/${slug}/interaction/${uid}`);
  try {
    const details = await entry.provider.interactionDetails(req, res);
    if (details.uid !== uid) return null;
    return { entry, details, pending: openPending(uid, cookieHeader) };
  } catch {
    return null; // no cookie, expired or unknown interaction: the page says so
  }
}
type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

const clientIdOf = (loaded: Loaded) => String(loaded.details.params.client_id);
const pageUrl = (slug: string, uid: string) => `${getConfig().server.publicOrigin}/t/${encodeURIComponent(slug)}/interaction/${encodeURIComponent(uid)}`;

/**
 * A signed-in session asked to step up to MFA (acr_values, or a policy that now requires it):
 * the password is already proven by the session, only the second factor is due. Only when that is
 * the sole reason: prompt=login or an expired max_age asks for the password as well.
 */
function stepUpAccount(loaded: Loaded): string | null {
  const { prompt, session } = loaded.details;
  const onlyMfa = prompt.reasons.length > 0 && prompt.reasons.every((reason) => reason === 'mfa_required');
  return prompt.name === 'login' && onlyMfa && session?.accountId ? session.accountId : null;
}

/** Where this interaction stands: the pending step (and whose), or null for the password form. */
async function currentStage(loaded: Loaded): Promise<{ userId: string; stage: PendingStage; recoveryCodes?: string[] } | null> {
  if (loaded.pending) return loaded.pending;
  const accountId = stepUpAccount(loaded);
  if (!accountId) return null;
  return { userId: accountId, stage: (await findConfirmedTotp(accountId)) ? 'mfa_challenge' : 'mfa_enrol' };
}

export async function describeInteraction(slug: string, uid: string, cookieHeader: string): Promise<InteractionView> {
  const loaded = await load(slug, uid, cookieHeader);
  if (!loaded) return { kind: 'missing' };
  const { entry, details } = loaded;
  const client = await entry.provider.Client.find(clientIdOf(loaded));
  const base = { uid, clientName: client?.clientName ?? clientIdOf(loaded), tenantName: entry.tenant.displayName, csrf: csrfToken(uid) };

  if (isSignInPrompt(details.prompt.name)) {
    const stage = await currentStage(loaded);
    if (stage?.stage === 'change_password') return { kind: 'change_password', minLength: entry.tenant.settings.passwordMinLength ?? 8, ...base };
    if (stage?.stage === 'mfa_challenge') return { kind: 'mfa_challenge', stepUp: !loaded.pending, ...base };
    if (stage?.stage === 'mfa_recovery_codes') return { kind: 'mfa_recovery_codes', codes: stage.recoveryCodes ?? [], ...base };
    if (stage?.stage === 'mfa_enrol') {
      const prisma = await getPrisma();
      const user = await prisma.user.findUnique({ where: { id: stage.userId }, select: { id: true, username: true } });
      if (!user) return { kind: 'missing' };
      const enrolment = (await pendingEnrolment(entry.tenant, user)) ?? (await startTotpEnrolment(entry.tenant, user));
      return { kind: 'mfa_enrol', qrDataUrl: enrolment.qrDataUrl, secret: enrolment.secret, ...base };
    }
    const loginHint = typeof details.params.login_hint === 'string' ? details.params.login_hint.slice(0, 254) : undefined;
    return { kind: 'login', loginHint, ...base };
  }
  const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  return {
    kind: 'consent',
    scopes: promptDetails.missingOIDCScope ?? [],
    claims: promptDetails.missingOIDCClaims ?? [],
    resources: Object.keys(promptDetails.missingResourceScopes ?? {}),
    ...base,
  };
}

/** A form post's outcome: go on (to the provider, or back to the page for the next step), or an error code. */
export type SubmitOutcome = { redirectTo: string; pending?: string | null } | { error: string };

/**
 * What oidc-provider's interactionResult does (store the result for the interaction's remaining
 * lifetime, hand back its returnTo), on the interaction `load` already read and checked, rather
 * than reading it and its session from the database a second time. Like it, a result is merged
 * with the earlier steps' (lastSubmission) unless it is an error: the provider resolves a
 * requested prompt (prompt=login) only when the final result still carries its answer, so a
 * consent result alone would send the user through the password form a second time.
 */
async function saveResult(loaded: Loaded, result: InteractionResults): Promise<string> {
  const interaction = loaded.details;
  interaction.result = 'error' in result ? result : { ...interaction.lastSubmission, ...result };
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  return interaction.returnTo;
}

async function finishLogin(loaded: Loaded, userId: string, factors: ('pwd' | 'otp')[]): Promise<SubmitOutcome> {
  const mfa = factors.includes('otp');
  const acr = mfa ? ACR_MFA : ACR_PASSWORD;
  // RFC 8176 §2: "mfa" alongside the factors when more than one was used.
  const amr = mfa ? [...factors, 'mfa'] : factors;
  // Signing in answers select_account too: the account chosen is the one signed in with.
  const selected = loaded.details.prompt.name === 'select_account' ? { select_account: {} } : {};
  return { redirectTo: await saveResult(loaded, { login: { accountId: userId, amr, acr }, ...selected }), pending: null };
}

const toStage = (loaded: Loaded, slug: string, uid: string, pending: Omit<PendingLogin, 'exp'>): SubmitOutcome => ({ redirectTo: pageUrl(slug, uid), pending: sealPending(uid, pending) });

/** After the password (or a new one): a second factor when enrolled, enrolment when required, else done. */
async function afterPassword(loaded: Loaded, slug: string, uid: string, userId: string, stepUp = false): Promise<SubmitOutcome> {
  const { tenant } = loaded.entry;
  const requirement = await mfaRequirementFor(tenant, userId);
  if (requirement === 'off') {
    // The client insists (an essential acr) on a factor this tenant does not offer: an error for
    // it, rather than the provider asking for the password again and again.
    if (clientRequiresMfa(loaded.details.params)) {
      return { redirectTo: await saveResult(loaded, { error: 'unmet_authentication_requirements', error_description: 'multi-factor authentication is not available' }), pending: null };
    }
    return finishLogin(loaded, userId, ['pwd']);
  }
  if (await findConfirmedTotp(userId)) return toStage(loaded, slug, uid, { userId, stage: 'mfa_challenge' });
  // A risk signal (a step-up rate-limit policy, a threat-list "challenge" address) asks for a
  // factor the user already has. Offering enrolment instead would let whoever holds only the
  // stolen password attach their own authenticator and come out with acr=mfa: refuse.
  if (stepUp) {
    emitEvent({ type: 'user.login.failed', outcome: 'denied', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'user', id: userId }, subject: userId, clientId: clientIdOf(loaded), reason: 'a risk signal requires a second factor and none is enrolled' });
    return { error: 'mfa_unavailable' };
  }
  const clientAsked = clientRequestsMfa(loaded.details.params);
  if (requirement === 'required' || clientAsked) return toStage(loaded, slug, uid, { userId, stage: 'mfa_enrol' });
  return finishLogin(loaded, userId, ['pwd']);
}

type Form = Record<string, string | undefined>;

type Step = { error: string } | { loaded: Loaded; stage: { userId: string; stage: PendingStage } };

async function loadForStep(slug: string, uid: string, form: Form, meta: RequestMeta, expected: PendingStage[]): Promise<Step> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded || !isSignInPrompt(loaded.details.prompt.name)) return { error: 'expired' };
  const stage = await currentStage(loaded);
  if (!stage || !expected.includes(stage.stage)) return { error: 'expired' };
  return { loaded, stage };
}

export async function submitLogin(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded || !isSignInPrompt(loaded.details.prompt.name)) return { error: 'expired' };
  const parsed = loginSchema.safeParse(form);
  const { tenant } = loaded.entry;
  const ip = meta.ip ?? '0.0.0.0';
  // Abuse checks come before any password hashing.
  const gate = parsed.success ? await checkLoginAllowed(tenant, parsed.data.username, ip) : ({ allowed: true, stepUp: false } as const);
  if (!gate.allowed) {
    emitEvent({ type: 'user.login.failed', outcome: 'denied', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'user' }, clientId: clientIdOf(loaded), ip: meta.ip, userAgent: meta.userAgent, reason: gate.reason });
    return { error: 'rate_limited' };
  }
  const result = parsed.success ? await authenticateUser(tenant.id, parsed.data.username, parsed.data.password, ip) : ({ ok: false, reason: 'invalid_credentials', userId: undefined } as const);
  getMetrics().authentications.inc({ tenant: tenant.slug, method: 'password', outcome: result.ok ? 'success' : 'failure' });
  emitEvent({
    type: result.ok ? 'user.login.succeeded' : 'user.login.failed',
    outcome: result.ok ? 'success' : 'failure',
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    actor: { type: 'user', id: result.ok ? result.user.id : (result.userId ?? null) },
    subject: result.ok ? result.user.id : (result.userId ?? null),
    clientId: clientIdOf(loaded),
    ip: meta.ip,
    userAgent: meta.userAgent,
    reason: result.ok ? null : result.reason,
    details: { factor: 'password' },
  });
  if (!result.ok) {
    await recordLoginFailure(tenant, ip);
    if ('lockedNow' in result && result.lockedNow) {
      lockoutCounter().inc({ tenant: tenant.slug, kind: 'account' });
      emitEvent({ type: 'user.locked', outcome: 'failure', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'system' }, subject: result.userId, ip: meta.ip, reason: 'too many failed passwords' });
    }
    // Counted per name typed, known or not: the same delay either way (no enumeration by timing).
    const delay = parsed.success ? delayAfterFailure(tenant.id, parsed.data.username) : 0;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    return { error: 'invalid_credentials' };
  }
  forgetFailures(tenant.id, parsed.data!.username);
  if (result.user.mustChangePassword) return toStage(loaded, slug, uid, { userId: result.user.id, stage: 'change_password' });
  // An address on a threat list with the "challenge" action must present a second factor.
  const challenged = threatVerdictFor(ip, tenant.slug) === 'challenge';
  return afterPassword(loaded, slug, uid, result.user.id, gate.stepUp || challenged);
}

export async function submitPasswordChange(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  const step = await loadForStep(slug, uid, form, meta, ['change_password']);
  if ('error' in step) return step;
  try {
    await changeOwnPassword(step.loaded.entry.tenant, step.stage.userId, { password: form.password, confirm: form.confirm }, meta);
  } catch (error) {
    if (isAppError(error)) return { error: error.details?.field === 'confirm' ? 'password_mismatch' : 'weak_password' };
    throw error;
  }
  return afterPassword(step.loaded, slug, uid, step.stage.userId);
}

/** The tenant's per-account limits on the second-factor forms; a refusal is audited. */
async function secondFactorGate(step: { loaded: Loaded; stage: { userId: string } }, meta: RequestMeta): Promise<{ error: string } | null> {
  const { tenant } = step.loaded.entry;
  const gate = await checkSecondFactorAllowed(tenant, step.stage.userId, meta.ip ?? '0.0.0.0');
  if (gate.allowed) return null;
  emitEvent({ type: 'ratelimit.exceeded', outcome: 'denied', tenantId: tenant.id, tenantSlug: tenant.slug, actor: { type: 'user', id: step.stage.userId }, subject: step.stage.userId, clientId: clientIdOf(step.loaded), ip: meta.ip, userAgent: meta.userAgent, reason: 'per-account limit on the second-factor form' });
  return { error: 'rate_limited' };
}

export async function submitSecondFactor(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  const step = await loadForStep(slug, uid, form, meta, ['mfa_challenge']);
  if ('error' in step) return step;
  const refused = await secondFactorGate(step, meta);
  if (refused) return refused;
  const { tenant } = step.loaded.entry;
  const result = await verifySecondFactor(tenant, step.stage.userId, String(form.code ?? ''), meta);
  getMetrics().authentications.inc({ tenant: tenant.slug, method: 'totp', outcome: result.ok ? 'success' : 'failure' });
  if (!result.ok) return { error: result.reason === 'locked' ? 'mfa_locked' : result.reason === 'replayed' ? 'mfa_replayed' : 'mfa_invalid' };
  return finishLogin(step.loaded, step.stage.userId, ['pwd', 'otp']);
}

export async function submitEnrolment(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  const step = await loadForStep(slug, uid, form, meta, ['mfa_enrol']);
  if ('error' in step) return step;
  const refused = await secondFactorGate(step, meta);
  if (refused) return refused;
  try {
    const { recoveryCodes } = await confirmTotpEnrolment(step.loaded.entry.tenant, step.stage.userId, String(form.code ?? ''), meta);
    return toStage(step.loaded, slug, uid, { userId: step.stage.userId, stage: 'mfa_recovery_codes', recoveryCodes });
  } catch (error) {
    if (isAppError(error)) return { error: 'mfa_invalid' };
    throw error;
  }
}

/** After the recovery codes were shown: the enrolment code proved possession, so the login counts as MFA. */
export async function submitRecoveryCodesSeen(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  const step = await loadForStep(slug, uid, form, meta, ['mfa_recovery_codes']);
  if ('error' in step) return step;
  return finishLogin(step.loaded, step.stage.userId, ['pwd', 'otp']);
}

export async function submitConsent(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded || loaded.details.prompt.name !== 'consent') return { error: 'expired' };
  const { details, entry } = loaded;
  const finish = (result: InteractionResults) => saveResult(loaded, result);
  if (form.decision !== 'allow') {
    emitEvent({ type: 'user.consent.denied', outcome: 'denied', tenantId: entry.tenant.id, tenantSlug: entry.tenant.slug, actor: { type: 'user', id: details.session?.accountId }, clientId: clientIdOf(loaded), ip: meta.ip, userAgent: meta.userAgent });
    return { redirectTo: await finish({ error: 'access_denied', error_description: 'the user denied the request' }) };
  }
  const accountId = details.session!.accountId;
  const { Grant } = entry.provider;
  const grant = details.grantId ? await Grant.find(details.grantId) : new Grant({ accountId, clientId: clientIdOf(loaded) });
  if (!grant) return { error: 'expired' };
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  emitEvent({ type: 'user.consent.granted', outcome: 'success', tenantId: entry.tenant.id, tenantSlug: entry.tenant.slug, actor: { type: 'user', id: accountId }, subject: accountId, clientId: clientIdOf(loaded), ip: meta.ip, userAgent: meta.userAgent, details: { scopes: missing.missingOIDCScope } });
  return { redirectTo: await finish({ consent: { grantId } }) };
}

export async function abortInteraction(slug: string, uid: string, form: Form, meta: RequestMeta): Promise<SubmitOutcome> {
  if (!checkCsrf(uid, form.csrf)) return { error: 'invalid_request' };
  const loaded = await load(slug, uid, meta.cookieHeader);
  if (!loaded) return { error: 'expired' };
  const redirectTo = await saveResult(loaded, { error: 'access_denied', error_description: 'the user cancelled the sign-in' });
  return { redirectTo, pending: null };
}

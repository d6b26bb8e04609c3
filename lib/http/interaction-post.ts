import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig } from '@/lib/config';
import {
  PENDING_COOKIE,
  PENDING_TTL_SECONDS,
  abortInteraction,
  submitConsent,
  submitEnrolment,
  submitLogin,
  submitPasswordChange,
  submitRecoveryCodesSeen,
  submitSecondFactor,
  type SubmitOutcome,
} from '@/lib/oidc';
import { readBodyWithin } from './read-body';
import { CLIENT_IP_HEADER, refuseCrossOriginPost } from './request-meta';

/**
 * The sign-in form posts (/t/{tenant}/interaction/{uid}/{step}), answered by the custom server
 * straight from node:http. They sit on the hot path of every sign-in and need nothing of Next.js:
 * as App Router route handlers (Web Request/Response conversion, undici form parsing, Next's
 * router) the consent post took 7.7 ms, here 5.6 ms (bench/step-latency.ts), and complete
 * sign-ins went from 27/s to 34/s under load. The pages they come from stay in Next
 * (pages/t/[tenant]/interaction/[uid].tsx).
 */

type Meta = { cookieHeader: string; ip: string | null; userAgent: string | null };
type Submit = (slug: string, uid: string, form: Record<string, string>, meta: Meta) => Promise<SubmitOutcome>;

const STEPS: Record<string, Submit> = {
  login: submitLogin,
  consent: submitConsent,
  abort: abortInteraction,
  password: submitPasswordChange,
  mfa: submitSecondFactor,
  enrol: submitEnrolment,
  continue: submitRecoveryCodesSeen,
};

// An interaction uid is oidc-provider's nanoid (URL-safe alphabet).
const FORM_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,128})\/(login|consent|abort|password|mfa|enrol|continue)$/;

/** Our forms are a few hundred bytes; anything much larger is not one of them. */
const MAX_FORM_BYTES = 16 * 1024;

/** The step a path under a tenant posts to, or null when it is not a sign-in form post path. */
export function matchInteractionPost(rest: string): { uid: string; step: string } | null {
  const match = FORM_PATH.exec(rest);
  return match ? { uid: match[1], step: match[2] } : null;
}

function reply(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string) {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

/**
 * Reads an application/x-www-form-urlencoded body. Any other type yields an empty form (the CSRF
 * check then fails and the page says the form expired); a body over the limit yields null.
 */
async function readUrlEncodedForm(req: IncomingMessage): Promise<Record<string, string> | null> {
  const body = await readBodyWithin(req, MAX_FORM_BYTES);
  if (body === null) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return {};
  const form: Record<string, string> = {};
  // URLSearchParams decodes as browsers encode (WHATWG application/x-www-form-urlencoded).
  for (const [key, value] of new URLSearchParams(body)) form[key] = value;
  return form;
}

/**
 * Origin check, form parsing, the service call, then a 303 (POST/redirect/GET) onward to the
 * provider, to the page's next step (setting or clearing the pending-sign-in cookie), or back to
 * the page with an error code.
 */
export async function handleInteractionPost(req: IncomingMessage, res: ServerResponse, slug: string, target: { uid: string; step: string }) {
  if (req.method !== 'POST') return reply(res, 405, { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' }, 'method not allowed');
  if (refuseCrossOriginPost(req, res)) return;
  const form = await readUrlEncodedForm(req);
  if (!form) return reply(res, 413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }, 'form too large');

  const { publicOrigin } = getConfig().server;
  const path = `/t/${encodeURIComponent(slug)}/interaction/${encodeURIComponent(target.uid)}`;
  const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null);
  const outcome = await STEPS[target.step](slug, target.uid, form, { cookieHeader: header('cookie') ?? '', ip: header(CLIENT_IP_HEADER), userAgent: header('user-agent') });

  if (!('redirectTo' in outcome)) return reply(res, 303, { Location: `${publicOrigin}${path}?error=${encodeURIComponent(outcome.error)}` });
  const headers: Record<string, string> = { Location: outcome.redirectTo };
  if (outcome.pending !== undefined) {
    const secure = publicOrigin.startsWith('https:') ? '; Secure' : '';
    headers['Set-Cookie'] =
      outcome.pending === null
        ? `${PENDING_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`
        : `${PENDING_COOKIE}=${encodeURIComponent(outcome.pending)}; Path=${path}; Max-Age=${PENDING_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure}`;
  }
  reply(res, 303, headers);
}
